using System.Text.Json.Nodes;

namespace PaperGao.Core.Collections;

/// <summary>
/// The options of an auth collection (protocol.md §4.3). The options this server acts on are typed;
/// the others (oauth2, mfa, otp, templates, authAlert) are kept as JSON until the features that use them exist.
/// </summary>
public sealed class AuthOptions
{
    public string? AuthRule { get; set; } = "";
    public string? ManageRule { get; set; }
    public bool PasswordAuthEnabled { get; set; } = true;
    public List<string> IdentityFields { get; set; } = ["email"];
    public TokenConfig AuthToken { get; set; } = new(432000, "");
    public TokenConfig PasswordResetToken { get; set; } = new(1800, "");
    public TokenConfig EmailChangeToken { get; set; } = new(1800, "");
    public TokenConfig VerificationToken { get; set; } = new(86400, "");
    public TokenConfig FileToken { get; set; } = new(180, "");

    /// <summary>Option objects kept verbatim: authAlert, oauth2, mfa, otp and the email templates.</summary>
    public JsonObject Extra { get; set; } = [];

    public AuthOptions Clone()
    {
        var c = (AuthOptions)MemberwiseClone();
        c.IdentityFields = [.. IdentityFields];
        c.Extra = (JsonObject)Extra.DeepClone();
        return c;
    }
}
