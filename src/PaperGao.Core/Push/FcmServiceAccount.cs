using System.Security.Cryptography;
using System.Text.Json;

namespace PaperGao.Core.Push;

/// <summary>
/// The parts of a Google service-account key file (the JSON the Firebase console downloads) that FCM's HTTP v1 API
/// needs: the project, the account's e-mail (the JWT issuer), the RSA private key (PKCS#8 PEM) and its id.
/// </summary>
public sealed record FcmServiceAccount(string ProjectId, string ClientEmail, string PrivateKeyPem, string PrivateKeyId)
{
    /// <summary>The parsed account, or null with the reason when the text is not a usable service-account key.</summary>
    public static FcmServiceAccount? TryParse(string json, out string? error)
    {
        error = null;
        JsonElement root;
        try
        {
            using var doc = JsonDocument.Parse(json);
            root = doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            error = "Must be the service-account key file (JSON) from the Firebase console.";
            return null;
        }
        if (root.ValueKind != JsonValueKind.Object) { error = "Must be a JSON object."; return null; }
        string Get(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        if (Get("type") != "service_account") { error = "\"type\" must be \"service_account\"."; return null; }
        var account = new FcmServiceAccount(Get("project_id"), Get("client_email"), Get("private_key"), Get("private_key_id"));
        if (account.ProjectId.Length == 0 || account.ProjectId.Length > 100 || !account.ProjectId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':'))
        {
            error = "\"project_id\" is missing or malformed.";
            return null;
        }
        if (account.ClientEmail.Length is 0 or > 320 || !account.ClientEmail.Contains('@')) { error = "\"client_email\" is missing."; return null; }
        using var rsa = account.TryCreateKey();
        if (rsa is null) { error = "\"private_key\" must be an RSA private key in PEM (PKCS#8), as Google issues it."; return null; }
        return account;
    }

    /// <summary>The signing key, or null when the PEM is not an RSA private key of at least 2048 bits.</summary>
    public RSA? TryCreateKey()
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(PrivateKeyPem);
            if (rsa.KeySize >= 2048)
            {
                rsa.ExportParameters(includePrivateParameters: true); // throws when only the public half was given
                return rsa;
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // not a key
        }
        rsa.Dispose();
        return null;
    }

    /// <summary>Never prints the private key.</summary>
    public override string ToString() => $"FcmServiceAccount {{ ProjectId = {ProjectId}, ClientEmail = {ClientEmail}, PrivateKeyId = {PrivateKeyId} }}";
}
