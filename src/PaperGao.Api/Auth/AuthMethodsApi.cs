using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth.OAuth2;
using PaperGao.Core.Common;

namespace PaperGao.Api.Auth;

/// <summary>
/// GET /api/collections/{c}/auth-methods (protocol.md §5.3): which sign-in methods the collection offers.
/// Password and OAuth2 (each enabled provider with a fresh state and PKCE pair; nothing is stored server-side).
/// OTP and MFA as the collection's otp and mfa options say.
/// </summary>
public static class AuthMethodsApi
{
    public static IEndpointRouteBuilder MapAuthMethodsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/collections/{collection}/auth-methods", HandleAsync)
            .WithTags("Auth").WithName("AuthMethods").WithSummary("The sign-in methods an auth collection offers.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        var auth = c.Auth!;
        var providers = new List<OAuth2Method>();
        var oauth2 = OAuth2Config.From(auth.Extra);
        var otp = Core.Mail.OtpOptions.From(auth);
        var mfa = Core.Auth.MfaOptions.From(auth);
        if (oauth2.Enabled)
        {
            foreach (var p in oauth2.Providers)
            {
                // A provider that can't be resolved (bad URLs, discovery unreachable) is left out rather than failing the list.
                if (await OAuth2Client.ResolveAsync(p, project.Time, ctx.RequestAborted) is not { } client) continue;
                var state = RandomString.Alphanumeric(30);
                var (url, verifier, challenge) = client.BuildAuthUrl(state);
                providers.Add(new OAuth2Method(p.Name, client.DisplayName, Core.Auth.OAuth2.OAuth2Providers.Find(p.Name)?.Logo ?? "", state, url, verifier, challenge));
            }
        }
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("password");
            w.WriteStartObject();
            // PocketBase's struct order (identityFields, then enabled); identity fields only listed when password auth is on.
            w.WritePropertyName("identityFields");
            w.WriteStartArray();
            if (auth.PasswordAuthEnabled) foreach (var f in auth.IdentityFields) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteBoolean("enabled", auth.PasswordAuthEnabled);
            w.WriteEndObject();
            w.WritePropertyName("oauth2");
            w.WriteStartObject();
            w.WritePropertyName("providers");
            w.WriteStartArray();
            foreach (var m in providers) WriteProvider(w, m, legacy: false);
            w.WriteEndArray();
            w.WriteBoolean("enabled", oauth2.Enabled && providers.Count > 0);
            w.WriteEndObject();
            w.WritePropertyName("mfa");
            w.WriteStartObject();
            w.WriteBoolean("enabled", mfa.Enabled);
            w.WriteNumber("duration", mfa.Enabled ? mfa.Duration : 0);
            w.WriteEndObject();
            w.WritePropertyName("otp");
            w.WriteStartObject();
            w.WriteBoolean("enabled", otp.Enabled);
            w.WriteNumber("duration", otp.Enabled ? otp.Duration : 0);
            w.WriteEndObject();
            // Legacy keys for pre-0.23 clients (current SDKs drop them with ?fields=).
            w.WritePropertyName("authProviders");
            w.WriteStartArray();
            foreach (var m in providers) WriteProvider(w, m, legacy: true);
            w.WriteEndArray();
            w.WriteBoolean("usernamePassword", auth.PasswordAuthEnabled && auth.IdentityFields.Contains("username"));
            w.WriteBoolean("emailPassword", auth.PasswordAuthEnabled && auth.IdentityFields.Contains("email"));
            w.WriteEndObject();
        });
    }

    private sealed record OAuth2Method(string Name, string DisplayName, string Logo, string State, string AuthUrl, string CodeVerifier, string CodeChallenge);

    private static void WriteProvider(System.Text.Json.Utf8JsonWriter w, OAuth2Method m, bool legacy)
    {
        w.WriteStartObject();
        w.WriteString("name", m.Name);
        w.WriteString("displayName", m.DisplayName);
        // The legacy list (pre-0.23 clients) never had logos: it keeps the key, empty.
        w.WriteString("logo", legacy ? "" : m.Logo);
        w.WriteString("state", m.State);
        w.WriteString("authURL", m.AuthUrl);
        w.WriteString("authUrl", m.AuthUrl);
        w.WriteString("codeVerifier", m.CodeVerifier);
        w.WriteString("codeChallenge", m.CodeChallenge);
        w.WriteString("codeChallengeMethod", m.CodeChallenge.Length > 0 ? "S256" : "");
        w.WriteEndObject();
    }
}
