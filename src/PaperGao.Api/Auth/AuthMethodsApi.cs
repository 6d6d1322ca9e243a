using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;

namespace PaperGao.Api.Auth;

/// <summary>
/// GET /api/collections/{c}/auth-methods (protocol.md §5.3): which sign-in methods the collection offers.
/// Password is the one method of this version; OAuth2, OTP and MFA are reported disabled until they exist.
/// </summary>
public static class AuthMethodsApi
{
    public static IEndpointRouteBuilder MapAuthMethodsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/collections/{collection}/auth-methods", HandleAsync)
            .WithTags("Auth").WithName("AuthMethods").WithSummary("The sign-in methods an auth collection offers.");
        return app;
    }

    private static Task HandleAsync(HttpContext ctx, string collection)
    {
        var c = AuthResponse.AuthCollection(ctx.Project(), collection);
        var auth = c.Auth!;
        return JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("password");
            w.WriteStartObject();
            w.WriteBoolean("enabled", auth.PasswordAuthEnabled);
            w.WritePropertyName("identityFields");
            w.WriteStartArray();
            foreach (var f in auth.IdentityFields) w.WriteStringValue(f);
            w.WriteEndArray();
            w.WriteEndObject();
            w.WritePropertyName("oauth2");
            w.WriteStartObject();
            w.WriteBoolean("enabled", false);
            w.WritePropertyName("providers");
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteEndObject();
            foreach (var key in (string[])["mfa", "otp"])
            {
                w.WritePropertyName(key);
                w.WriteStartObject();
                w.WriteBoolean("enabled", false);
                w.WriteNumber("duration", 0);
                w.WriteEndObject();
            }
            // Legacy keys for pre-0.23 clients (current SDKs drop them with ?fields=).
            w.WritePropertyName("authProviders");
            w.WriteStartArray();
            w.WriteEndArray();
            w.WriteBoolean("usernamePassword", auth.PasswordAuthEnabled && auth.IdentityFields.Contains("username"));
            w.WriteBoolean("emailPassword", auth.PasswordAuthEnabled && auth.IdentityFields.Contains("email"));
            w.WriteEndObject();
        });
    }
}
