using PaperGao.Core.Common;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A URL field ("url"): an absolute URL with a scheme and a host; the domain options apply to the host.</summary>
public sealed class UrlField : DomainRestrictedField
{
    public override string Type => "url";

    protected override bool TryGetDomain(string value, out string domain, out FieldError? formatError)
    {
        formatError = TryGetHost(value, out domain) ? null : new FieldError("validation_invalid_url", "Must be a valid url.");
        return formatError is null;
    }

    protected override FieldError DomainNotAllowed() => new("validation_url_domain_not_allowed", "Url domain is not allowed.");

    /// <summary>True for an absolute URL with a scheme ("http", "https", "ftp"...) and a non-empty host.</summary>
    public static bool TryGetHost(string s, out string host)
    {
        host = "";
        if (s.Length > 2048) return false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c)) return false;
        }
        var colon = s.IndexOf(':');
        if (colon <= 0 || !s.AsSpan(colon).StartsWith("://", StringComparison.Ordinal)) return false;
        if (!Uri.TryCreate(s, UriKind.Absolute, out var uri) || uri.IsFile || uri.IsUnc) return false;
        if (string.IsNullOrEmpty(uri.Host)) return false;
        host = uri.Host;
        return true;
    }
}
