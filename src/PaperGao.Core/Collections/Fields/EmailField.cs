using System.Text.RegularExpressions;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections.Fields;

/// <summary>An email address field ("email").</summary>
public sealed partial class EmailField : DomainRestrictedField
{
    public override string Type => "email";

    protected override bool TryGetDomain(string value, out string domain, out FieldError? formatError)
    {
        domain = "";
        formatError = null;
        if (!IsEmail(value))
        {
            formatError = new FieldError("validation_is_email", "Must be a valid email address.");
            return false;
        }
        domain = value[(value.LastIndexOf('@') + 1)..];
        return true;
    }

    protected override FieldError DomainNotAllowed() => new("validation_email_domain_not_allowed", "Email domain is not allowed.");

    /// <summary>The WHATWG "valid email address" grammar, at most 254 characters.</summary>
    public static bool IsEmail(string s) => s.Length <= 254 && Email().IsMatch(s);

    [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
