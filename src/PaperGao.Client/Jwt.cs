using System.Text;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>Reads (never verifies) the payload of a token: the client only needs its expiry and claims.</summary>
public static class Jwt
{
    /// <summary>The payload claims, or an empty object for anything that is not a JWT.</summary>
    public static JsonObject Payload(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3) return [];
        try
        {
            var b64 = parts[1].Replace('-', '+').Replace('_', '/');
            b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
            return JsonNode.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(b64))) as JsonObject ?? [];
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return [];
        }
    }

    /// <summary>True when the token has an "exp" claim that is not past (minus <paramref name="leeway"/>).</summary>
    public static bool IsValid(string token, TimeSpan leeway = default)
    {
        if (string.IsNullOrEmpty(token)) return false;
        if (Payload(token)["exp"] is not JsonValue exp || !exp.TryGetValue<long>(out var seconds)) return false;
        return DateTimeOffset.FromUnixTimeSeconds(seconds) - leeway > DateTimeOffset.UtcNow;
    }
}
