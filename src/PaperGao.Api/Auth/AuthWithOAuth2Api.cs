using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Auth.OAuth2;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /api/collections/{c}/auth-with-oauth2 (protocol.md §5.5a): exchange the code with the provider, fetch the
/// user, then sign in the linked record, link the signed-in record, link the record with the provider's verified
/// email, or create a record (createRule applies, @request.context = "oauth2").
/// </summary>
public static class AuthWithOAuth2Api
{
    private const string ValidationMessage = "An error occurred while validating the submitted data.";

    public static IEndpointRouteBuilder MapAuthWithOAuth2Api(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/auth-with-oauth2", HandleAsync)
            .WithTags("Auth").WithName("AuthWithOAuth2").WithSummary("Sign in (or sign up) with an OAuth2 authorization code.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        var config = OAuth2Config.From(c.Auth!.Extra);
        if (!config.Enabled) throw ApiError.Forbidden("The collection is not configured to allow OAuth2 authentication.");
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var providerName = BodyFields.Str(body, "provider", errors, required: true, max: 2048);
        var code = BodyFields.Str(body, "code", errors, required: true, max: 2048);
        var codeVerifier = BodyFields.Str(body, "codeVerifier", errors, required: false, max: 2048);
        var redirectKey = body.ContainsKey("redirectURL") || !body.ContainsKey("redirectUrl") ? "redirectURL" : "redirectUrl";
        // As PocketBase 0.39: redirectURL is optional (a provider that needs it refuses the code exchange itself).
        var redirectUrl = BodyFields.Str(body, redirectKey, errors, required: false, max: 2048);
        if (redirectUrl.Length > 0 && !OAuth2Http.IsHttpUrl(redirectUrl))
            errors.Add(redirectKey, new FieldError("validation_invalid_url", "Must be a valid http(s) URL."));
        JsonObject? createData = null;
        if (body["createData"] is { } cd)
        {
            if (cd is JsonObject o) createData = o;
            else errors.Add("createData", new FieldError("validation_invalid_value", "Must be an object."));
        }
        var providerConfig = providerName.Length > 0 ? config.Find(providerName) : null;
        if (providerName.Length > 0 && providerConfig is null)
            errors.Add("provider", new FieldError("validation_invalid_provider", "Provider with name " + Truncate(providerName) + " is missing or is not enabled."));
        if (!errors.IsEmpty) throw ApiError.BadRequest(ValidationMessage, errors);

        var client = await OAuth2Client.ResolveAsync(providerConfig!, project.Time, ctx.RequestAborted)
            ?? throw ApiError.BadRequest(ValidationMessage, new ErrorData().Add("provider", new FieldError("validation_invalid_provider", "The provider is not configured correctly.")));
        var token = await client.ExchangeAsync(code, codeVerifier, redirectUrl, ctx.RequestAborted)
            ?? throw ApiError.BadRequest("Failed to fetch OAuth2 token.");
        var user = await client.FetchUserAsync(token, codeVerifier, ctx.RequestAborted)
            ?? throw ApiError.BadRequest("Failed to fetch OAuth2 user.");

        var (record, isNew) = await SignInAsync(ctx, project, c, config, providerName, user, createData);
        await AuthResponse.WriteAsync(ctx, project, record, AuthTokens.NewAuthToken(record, ctx.UtcNow()), "oauth2", w => WriteMeta(w, user, isNew), mfaMethod: "oauth2", mfaId: MfaCheck.BodyMfaId(body));
    }

    private static async Task<(Record Record, bool IsNew)> SignInAsync(HttpContext ctx, Project project, Collection c, OAuth2Config config,
        string provider, OAuth2User user, JsonObject? createData)
    {
        var ct = ctx.RequestAborted;
        var asSystem = new RequestInfo { IsSuperuser = true, Method = "POST", Context = "oauth2" };
        var externalAuths = project.Collections.Find(SystemCollections.ExternalAuths) ?? throw ApiError.BadRequest("Failed to authenticate.");
        return await RecordWriter.InScope(project, null, async scope =>
        {
            var isNew = false;
            var link = true;
            Record? record = null;
            var existing = await FindOneAsync(project, scope, externalAuths,
                (d, p) => $"t.{d.Quote("collectionRef")} = {p.Add(c.Id)} AND t.{d.Quote("provider")} = {p.Add(provider)} AND t.{d.Quote("providerId")} = {p.Add(user.Id)}", ct);
            if (existing is not null)
            {
                record = await RecordSql.FindByIdAsync(project.Database, scope.Connection, scope.Transaction, c, existing.GetString("recordRef"), ct);
                if (record is null) await RecordWriter.DeleteAsync(project, externalAuths, existing.Id, asSystem, scope, ct); // a stale link
                else link = false;
            }
            if (record is null && ctx.Auth() is { } current && current.Collection.Id == c.Id)
            {
                record = await RecordSql.FindByIdAsync(project.Database, scope.Connection, scope.Transaction, c, current.Id, ct);
            }
            if (record is null && user.EmailVerified && user.Email.Length > 0)
            {
                record = await FindOneAsync(project, scope, c, (d, p) => d.EqualsNoCase($"t.{d.Quote("email")}", p.Add(user.Email), nonEmpty: true), ct);
                if (record is not null && !record.GetBool("verified"))
                {
                    // Anti pre-hijacking (security.md item 1): whoever registered this unverified address with a
                    // password loses that password and any other links; the provider vouches for the owner.
                    var password = RandomString.Alphanumeric(40);
                    record = await RecordWriter.UpdateAsync(project, c, record.Id, new JsonObject { ["password"] = password, ["passwordConfirm"] = password }, asSystem, scope, ct);
                    foreach (var other in await FindAllAsync(project, scope, externalAuths,
                        (d, p) => $"t.{d.Quote("collectionRef")} = {p.Add(c.Id)} AND t.{d.Quote("recordRef")} = {p.Add(record.Id)}", ct))
                    {
                        await RecordWriter.DeleteAsync(project, externalAuths, other.Id, asSystem, scope, ct);
                    }
                }
            }
            if (record is null)
            {
                if (c.Name == ProjectInitializer.SuperusersName) throw ApiError.BadRequest("Failed to authenticate.");
                record = await CreateAsync(ctx, project, c, config, user, createData, scope);
                isNew = true;
            }
            // The provider vouches for this address: mark it verified (never for another address, security.md item 2).
            if (user.EmailVerified && user.Email.Length > 0 && !record.GetBool("verified")
                && string.Equals(record.GetString("email"), user.Email, StringComparison.OrdinalIgnoreCase))
            {
                record = await RecordWriter.UpdateAsync(project, c, record.Id, new JsonObject { ["verified"] = true }, asSystem, scope, ct);
            }
            if (link)
            {
                var row = new JsonObject { ["collectionRef"] = c.Id, ["recordRef"] = record.Id, ["provider"] = provider, ["providerId"] = user.Id };
                try
                {
                    await RecordWriter.CreateAsync(project, externalAuths, row, asSystem, scope, ct);
                }
                catch (ApiError)
                {
                    throw ApiError.BadRequest("Failed to authenticate."); // e.g. the record is already linked to another account of this provider
                }
            }
            return (record, isNew);
        }, ct);
    }

    private static async Task<Record> CreateAsync(HttpContext ctx, Project project, Collection c, OAuth2Config config, OAuth2User user, JsonObject? createData, WriteScope scope)
    {
        var data = (JsonObject?)createData?.DeepClone() ?? [];
        if (!data.ContainsKey("email") && user.Email.Length > 0) data["email"] = user.Email;
        if (!data.ContainsKey("password"))
        {
            var password = RandomString.Alphanumeric(40);
            data["password"] = password;
            data["passwordConfirm"] = password;
        }
        foreach (var (key, value) in (ReadOnlySpan<(string, string)>)[("id", user.Id), ("name", user.Name), ("username", user.Username), ("avatarURL", user.AvatarUrl)])
        {
            if (value.Length == 0 || !config.MappedFields.TryGetValue(key, out var fieldName) || data.ContainsKey(fieldName)) continue;
            var field = c.FindField(fieldName);
            // Avatars are not downloaded into file fields (no server-side fetch of a provider-chosen URL).
            if (field is null || field is FileField) continue;
            data[fieldName] = value;
        }
        var info = ctx.RequestInfo("oauth2").With(method: "POST", body: data);
        try
        {
            return await RecordWriter.CreateAsync(project, c, data, info, scope, ctx.RequestAborted);
        }
        catch (ApiError e) when (e.Status is 400 or 403)
        {
            throw ApiError.BadRequest("Failed to authenticate.", e.Details);
        }
    }

    private static void WriteMeta(Utf8JsonWriter w, OAuth2User user, bool isNew)
    {
        w.WriteStartObject();
        w.WriteString("id", user.Id);
        w.WriteString("name", user.Name);
        w.WriteString("username", user.Username);
        w.WriteString("email", user.Email);
        w.WriteString("avatarURL", user.AvatarUrl);
        w.WriteString("avatarUrl", user.AvatarUrl);
        w.WriteString("accessToken", user.AccessToken);
        w.WriteString("refreshToken", user.RefreshToken);
        w.WriteString("expiry", user.Expiry?.UtcDateTime.ToString(DateTimes.Layout, System.Globalization.CultureInfo.InvariantCulture) ?? "");
        w.WritePropertyName("rawUser");
        user.RawUser.WriteTo(w);
        w.WriteBoolean("isNew", isNew);
        w.WriteEndObject();
    }

    private static async Task<Record?> FindOneAsync(Project project, WriteScope scope, Collection c, Func<ISqlDialect, SqlParams, string> where, CancellationToken ct) =>
        (await FindAllAsync(project, scope, c, where, ct, limit: 1)).FirstOrDefault();

    private static async Task<List<Record>> FindAllAsync(Project project, WriteScope scope, Collection c, Func<ISqlDialect, SqlParams, string> where, CancellationToken ct, int limit = 1000)
    {
        var p = new SqlParams();
        var d = project.Dialect;
        var sql = $"SELECT {RecordSql.SelectList(c, d)} FROM {d.Quote(c.Name)} AS t WHERE {where(d, p)} LIMIT {limit}";
        await using DbCommand cmd = project.Database.Command(scope.Connection, scope.Transaction, sql, p);
        return await RecordSql.ReadAllAsync(c, cmd, ct);
    }

    private static string Truncate(string s) => s.Length > 50 ? s[..50] : s;
}
