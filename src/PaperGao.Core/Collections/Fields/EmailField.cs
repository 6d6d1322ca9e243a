using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>An email address field ("email").</summary>
public sealed partial class EmailField : Field
{
    /// <summary>Domains refused (exclusive with <see cref="OnlyDomains"/>).</summary>
    public List<string> ExceptDomains { get; set; } = [];

    /// <summary>When not empty, the only domains accepted.</summary>
    public List<string> OnlyDomains { get; set; } = [];

    public bool Required { get; set; }

    public override string Type => "email";
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
        if (!IsEmail(s)) return new FieldError("validation_is_email", "Must be a valid email address.");
        var domain = s[(s.LastIndexOf('@') + 1)..];
        if (!DomainList.Allows(ExceptDomains, OnlyDomains, domain))
            return new FieldError("validation_email_domain_not_allowed", "Email domain is not allowed.");
        return null;
    }

    /// <summary>The WHATWG "valid email address" grammar, at most 254 characters.</summary>
    public static bool IsEmail(string s) => s.Length <= 254 && Email().IsMatch(s);

    protected override void OnCloned()
    {
        ExceptDomains = [.. ExceptDomains];
        OnlyDomains = [.. OnlyDomains];
    }

    [GeneratedRegex(@"^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$", RegexOptions.CultureInvariant)]
    private static partial Regex Email();
}
