using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>The auth routes of an auth collection. Every sign-in saves the token and record in the client's auth store.</summary>
public sealed partial class RecordService<T>
{
    /// <summary>GET /auth-methods: which of password, OAuth2 (with the providers' URLs and PKCE values), OTP and MFA are on.</summary>
    public Task<JsonObject> ListAuthMethodsAsync(RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        _client.SendAsync<JsonObject>(HttpMethod.Get, CollectionPath + "/auth-methods", null, options, cancellationToken);

    /// <summary>
    /// POST /auth-with-password. When MFA is on, the first factor fails with 401 and <see cref="ClientResponseException.MfaId"/>;
    /// pass that id to the second sign-in (e.g. <see cref="AuthWithOtpAsync"/>).
    /// </summary>
    public Task<RecordAuthResult<T>> AuthWithPasswordAsync(string identity, string password, string? mfaId = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        AuthAsync("/auth-with-password", new JsonObject { ["identity"] = identity, ["password"] = password, ["mfaId"] = mfaId }, options, cancellationToken);

    /// <summary>POST /auth-with-oauth2 with the code the provider redirected back with (the OAuth2 "code" flow).</summary>
    public Task<RecordAuthResult<T>> AuthWithOAuth2CodeAsync(string provider, string code, string codeVerifier, string redirectUrl,
        JsonObject? createData = null, string? mfaId = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        AuthAsync("/auth-with-oauth2", new JsonObject
        {
            ["provider"] = provider,
            ["code"] = code,
            ["codeVerifier"] = codeVerifier,
            ["redirectURL"] = redirectUrl,
            ["createData"] = createData?.DeepClone(),
            ["mfaId"] = mfaId,
        }, options, cancellationToken);

    /// <summary>POST /request-otp: mails a one-time password; returns the otpId to sign in with.</summary>
    public async Task<string> RequestOtpAsync(string email, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var result = await _client.SendAsync<JsonObject>(HttpMethod.Post, CollectionPath + "/request-otp", new JsonObject { ["email"] = email }, options, cancellationToken).ConfigureAwait(false);
        return result["otpId"]?.GetValue<string>() ?? "";
    }

    /// <summary>POST /auth-with-otp.</summary>
    public Task<RecordAuthResult<T>> AuthWithOtpAsync(string otpId, string password, string? mfaId = null, RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        AuthAsync("/auth-with-otp", new JsonObject { ["otpId"] = otpId, ["password"] = password, ["mfaId"] = mfaId }, options, cancellationToken);

    /// <summary>POST /auth-refresh: a new token for the signed-in record (and its current data).</summary>
    public Task<RecordAuthResult<T>> AuthRefreshAsync(RecordOptions? options = null, CancellationToken cancellationToken = default) =>
        AuthAsync("/auth-refresh", null, options, cancellationToken);

    /// <summary>
    /// POST /impersonate/{id} (superusers): a new client signed in as that record with a non-renewable token
    /// (<paramref name="duration"/> overrides its lifetime). This client's auth store is not touched.
    /// </summary>
    public async Task<PaperGaoClient> ImpersonateAsync(string recordId, TimeSpan? duration = null, HttpClient? httpClient = null, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["duration"] = duration is { } d ? (long)d.TotalSeconds : 0 };
        var result = await _client.SendAsync<JsonObject>(HttpMethod.Post, CollectionPath + "/impersonate/" + Uri.EscapeDataString(recordId), body, options, cancellationToken).ConfigureAwait(false);
        var client = new PaperGaoClient(_client.BaseUrl, new AuthStore(), httpClient, _client.JsonOptions) { Lang = _client.Lang };
        client.AuthStore.Save(result["token"]?.GetValue<string>() ?? "", result["record"] as JsonObject);
        return client;
    }

    public Task RequestVerificationAsync(string email, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        PostAsync("/request-verification", new JsonObject { ["email"] = email }, options, cancellationToken);

    /// <summary>POST /confirm-verification; marks the signed-in record verified in the auth store when it is the one.</summary>
    public async Task ConfirmVerificationAsync(string token, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        await PostAsync("/confirm-verification", new JsonObject { ["token"] = token }, options, cancellationToken).ConfigureAwait(false);
        var claims = Jwt.Payload(token);
        var record = _client.AuthStore.Record;
        if (record is not null && record["id"]?.GetValue<string>() == claims["id"]?.GetValue<string>()
            && record["collectionId"]?.GetValue<string>() == claims["collectionId"]?.GetValue<string>())
        {
            record["verified"] = true;
            _client.AuthStore.Save(_client.AuthStore.Token, record);
        }
    }

    public Task RequestPasswordResetAsync(string email, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        PostAsync("/request-password-reset", new JsonObject { ["email"] = email }, options, cancellationToken);

    public Task ConfirmPasswordResetAsync(string token, string password, string passwordConfirm, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        PostAsync("/confirm-password-reset", new JsonObject { ["token"] = token, ["password"] = password, ["passwordConfirm"] = passwordConfirm }, options, cancellationToken);

    /// <summary>POST /request-email-change (signed in as the record).</summary>
    public Task RequestEmailChangeAsync(string newEmail, RequestOptions? options = null, CancellationToken cancellationToken = default) =>
        PostAsync("/request-email-change", new JsonObject { ["newEmail"] = newEmail }, options, cancellationToken);

    /// <summary>POST /confirm-email-change; signs out when the changed record is the signed-in one (its tokens are void).</summary>
    public async Task ConfirmEmailChangeAsync(string token, string password, RequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        await PostAsync("/confirm-email-change", new JsonObject { ["token"] = token, ["password"] = password }, options, cancellationToken).ConfigureAwait(false);
        var claims = Jwt.Payload(token);
        var record = _client.AuthStore.Record;
        if (record is not null && record["id"]?.GetValue<string>() == claims["id"]?.GetValue<string>()) _client.AuthStore.Clear();
    }

    private Task PostAsync(string path, JsonObject body, RequestOptions? options, CancellationToken ct) =>
        _client.SendAsync<JsonObject?>(HttpMethod.Post, CollectionPath + path, body, options, ct);

    private async Task<RecordAuthResult<T>> AuthAsync(string path, JsonObject? body, RecordOptions? options, CancellationToken ct)
    {
        if (body is not null)
        {
            foreach (var key in body.Where(p => p.Value is null).Select(p => p.Key).ToList()) body.Remove(key);
        }
        var result = await _client.SendAsync<JsonObject>(HttpMethod.Post, CollectionPath + path, body, options, ct, RecordQuery(options)).ConfigureAwait(false);
        var token = result["token"]?.GetValue<string>() ?? "";
        var record = result["record"] as JsonObject;
        _client.AuthStore.Save(token, record);
        return new RecordAuthResult<T>(token, Convert(record), result["meta"] as JsonObject);
    }
}
