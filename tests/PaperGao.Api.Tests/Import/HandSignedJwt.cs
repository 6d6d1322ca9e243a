using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Import;

/// <summary>An HS256 JWT made by hand (not with the server's code), as PocketBase signs them: key = tokenKey + collection secret.</summary>
internal static class HandSignedJwt
{
    public static string Sign(JsonObject claims, string key)
    {
        var header = B64(Encoding.UTF8.GetBytes("""{"alg":"HS256","typ":"JWT"}"""));
        var payload = B64(Encoding.UTF8.GetBytes(claims.ToJsonString()));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.ASCII.GetBytes(header + "." + payload));
        return header + "." + payload + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
