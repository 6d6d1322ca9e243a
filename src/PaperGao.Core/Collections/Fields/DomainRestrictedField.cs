using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>A text field whose values name a domain (email, url): the exceptDomains/onlyDomains/required options and their checks.</summary>
public abstract class DomainRestrictedField : Field
{
    /// <summary>Domains refused (exclusive with <see cref="OnlyDomains"/>).</summary>
    public List<string> ExceptDomains { get; set; } = [];

    /// <summary>When not empty, the only domains accepted.</summary>
    public List<string> OnlyDomains { get; set; } = [];

    public bool Required { get; set; }

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
        if (!TryGetDomain(s, out var domain, out var formatError)) return formatError;
        return DomainList.Allows(ExceptDomains, OnlyDomains, domain) ? null : DomainNotAllowed();
    }

    /// <summary>Checks the format of a non-empty value and finds its domain.</summary>
    protected abstract bool TryGetDomain(string value, out string domain, out FieldError? formatError);

    /// <summary>The error for a domain the options refuse.</summary>
    protected abstract FieldError DomainNotAllowed();

    protected override void OnCloned()
    {
        ExceptDomains = [.. ExceptDomains];
        OnlyDomains = [.. OnlyDomains];
    }
}
