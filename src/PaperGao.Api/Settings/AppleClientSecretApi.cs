using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;

namespace PaperGao.Api.Settings;

/// <summary>
/// POST /api/settings/apple/generate-client-secret {clientId, teamId, keyId, privateKey, duration} (superusers;
/// PocketBase 0.39): the ES256 JWT Apple wants as the OAuth2 client secret ({"secret": "..."}). Nothing is stored.
/// </summary>
public static partial class AppleClientSecretApi
{
    private const long MaxDuration = 15_777_000; // about 6 months, Apple's limit

    public static IEndpointRouteBuilder MapAppleClientSecretApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/settings/apple/generate-client-secret", (Func<HttpContext, Task>)HandleAsync)
            .WithTags("Settings").WithName("GenerateAppleClientSecret").WithSummary("Generates the client secret JWT for Sign in with Apple.");
        return app;
    }

    [GeneratedRegex(@"-----BEGIN PRIVATE KEY----[\s\S]+-----END PRIVATE KEY-----", RegexOptions.Multiline)]
    private static partial Regex PrivateKeyRegex();

    private static async Task HandleAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var clientId = BodyFields.Str(body, "clientId", errors, required: true);
        var teamId = BodyFields.Str(body, "teamId", errors, required: true);
        var keyId = BodyFields.Str(body, "keyId", errors, required: true);
        var privateKey = BodyFields.Str(body, "privateKey", errors, required: true, max: 16384);
        if (!errors.Contains("teamId") && teamId.Length != 10) errors.Add("teamId", new FieldError("validation_length_invalid", "The length must be exactly 10."));
        if (!errors.Contains("keyId") && keyId.Length != 10) errors.Add("keyId", new FieldError("validation_length_invalid", "The length must be exactly 10."));
        if (!errors.Contains("privateKey") && !PrivateKeyRegex().IsMatch(privateKey))
            errors.Add("privateKey", new FieldError("validation_match_invalid", "Must be in a valid format."));
        long duration = 0;
        if (body["duration"] is not System.Text.Json.Nodes.JsonValue dv || !dv.TryGetValue<double>(out var d) || d == 0)
            errors.Add("duration", FieldError.Required());
        else if (d != Math.Floor(d) || d < 1) errors.Add("duration", new FieldError("validation_min_greater_equal_than_required", "Must be no less than 1."));
        else if (d > MaxDuration) errors.Add("duration", new FieldError("validation_max_less_equal_than_required", $"Must be no greater than {MaxDuration}."));
        else duration = (long)d;
        if (!errors.IsEmpty) throw ApiError.BadRequest("Invalid client secret data.", errors);

        string secret;
        try
        {
            secret = Sign(clientId, teamId, keyId, privateKey.Trim(), duration);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw ApiError.BadRequest("Failed to generate client secret. Raw error: \n" + ex.Message);
        }
        await JsonResponse.WriteAsync(ctx, w =>
        {
            w.WriteStartObject();
            w.WriteString("secret", secret);
            w.WriteEndObject();
        });
    }

    private static string Sign(string clientId, string teamId, string keyId, string pem, long duration)
    {
        using var key = ECDsa.Create();
        key.ImportFromPem(pem);
        if (key.KeySize != 256) throw new ArgumentException("The private key must be a P-256 (ES256) key.");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Json(w => { w.WriteString("alg", "ES256"); w.WriteString("kid", keyId); w.WriteString("typ", "JWT"); });
        var claims = Json(w =>
        {
            w.WriteString("aud", "https://appleid.apple.com");
            w.WriteNumber("exp", now + duration);
            w.WriteNumber("iat", now);
            w.WriteString("iss", teamId);
            w.WriteString("sub", clientId);
        });
        var unsigned = B64(header) + "." + B64(claims);
        // JWS wants the raw r||s form (IEEE P1363), which is .NET's default for ECDsa.SignData.
        var sig = key.SignData(Encoding.ASCII.GetBytes(unsigned), HashAlgorithmName.SHA256);
        return unsigned + "." + B64(sig);
    }

    private static byte[] Json(Action<Utf8JsonWriter> body)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            body(w);
            w.WriteEndObject();
        }
        return ms.ToArray();
    }

    private static string B64(byte[] data) => Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
