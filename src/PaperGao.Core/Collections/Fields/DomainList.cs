using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections.Fields;

/// <summary>The exceptDomains/onlyDomains options of email and url fields.</summary>
internal static partial class DomainList
{
    public static void Read(JsonObject json, ErrorData errors, Action<List<string>> setExcept, Action<List<string>> setOnly)
    {
        if (FieldOptions.TryStringList(json, "exceptDomains", errors, out var except)) setExcept(except);
        if (FieldOptions.TryStringList(json, "onlyDomains", errors, out var only)) setOnly(only);
    }

    /// <summary>Only one of the two lists may be set; each entry must be a domain name.</summary>
    public static void Validate(List<string> except, List<string> only, ErrorData errors)
    {
        if (except.Count > 0 && only.Count > 0)
        {
            errors.Add("exceptDomains", FieldErrors.Empty());
            errors.Add("onlyDomains", FieldErrors.Empty());
            return;
        }
        ValidateEach("exceptDomains", except, errors);
        ValidateEach("onlyDomains", only, errors);
    }

    private static void ValidateEach(string key, List<string> domains, ErrorData errors)
    {
        var nested = new ErrorData();
        for (var i = 0; i < domains.Count; i++)
        {
            if (!IsDomain(domains[i]))
                nested.Add(i.ToString(CultureInfo.InvariantCulture), new FieldError("validation_is_domain", "Must be a valid domain."));
        }
        errors.Add(key, nested);
    }

    /// <summary>True when the domain is allowed by the lists (case-insensitive).</summary>
    public static bool Allows(List<string> except, List<string> only, string domain)
    {
        if (only.Count > 0 && !only.Contains(domain, StringComparer.OrdinalIgnoreCase)) return false;
        if (except.Count > 0 && except.Contains(domain, StringComparer.OrdinalIgnoreCase)) return false;
        return true;
    }

    public static bool IsDomain(string s) => s.Length is > 0 and <= 253 && Domain().IsMatch(s);

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)+[a-zA-Z]{2,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex Domain();
}
