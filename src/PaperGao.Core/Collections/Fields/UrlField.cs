using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A URL field ("url"): an absolute URL with a scheme and a host.</summary>
public sealed class UrlField : Field
{
    /// <summary>Hosts refused (exclusive with <see cref="OnlyDomains"/>).</summary>
    public List<string> ExceptDomains { get; set; } = [];

    /// <summary>When not empty, the only hosts accepted.</summary>
    public List<string> OnlyDomains { get; set; } = [];

    public bool Required { get; set; }

    public override string Type => "url";
    public override ColumnKind Kind => ColumnKind.Text;
    public override object? ZeroValue => "";

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        DomainList.Read(json, errors, v => ExceptDomains = v, v => OnlyDomains = v);
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        FieldOptions.WriteStringList(writer, "exceptDomains", ExceptDomains);
        FieldOptions.WriteStringList(writer, "onlyDomains", OnlyDomains);
        writer.WriteBoolean("required", Required);
    }

    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors) =>
        DomainList.Validate(ExceptDomains, OnlyDomains, errors);

    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        if (FieldValues.TryToText(input, out var s))
        {
            value = s;
            error = null;
            return true;
        }
        value = null;
        error = FieldErrors.NotAString();
        return false;
    }

    public override FieldError? Validate(object? value)
    {
        var s = value as string ?? "";
        if (s.Length == 0) return Required ? FieldError.Required() : null;
        if (!TryGetHost(s, out var host)) return new FieldError("validation_invalid_url", "Must be a valid url.");
        if (!DomainList.Allows(ExceptDomains, OnlyDomains, host))
            return new FieldError("validation_url_domain_not_allowed", "Url domain is not allowed.");
        return null;
    }

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

    protected override void OnCloned()
    {
        ExceptDomains = [.. ExceptDomains];
        OnlyDomains = [.. OnlyDomains];
    }
}
