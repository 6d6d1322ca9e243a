using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// A reference to records of another collection ("relation"). Single (maxSelect ≤ 1): an id string; multiple
/// (maxSelect ≥ 2): a deduplicated id list stored as a JSON array. Whether the ids exist is checked by the
/// record service. Modifiers: "name+", "+name", "name-".
/// </summary>
public sealed class RelationField : Field
{
    /// <summary>The id of the related collection.</summary>
    public string CollectionId { get; set; } = "";

    /// <summary>Delete the referencing record when its last referenced record is deleted.</summary>
    public bool CascadeDelete { get; set; }

    public int MinSelect { get; set; }

    /// <summary>≤ 1 single, ≥ 2 multiple.</summary>
    public int MaxSelect { get; set; }

    public bool Required { get; set; }

    public override string Type => "relation";
    public override ColumnKind Kind => IsMultiple ? ColumnKind.JsonArray : ColumnKind.Text;
    public override bool IsMultiple => MaxSelect > 1;
    public override object? ZeroValue => IsMultiple ? Array.Empty<string>() : "";

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryBool(json, "cascadeDelete", errors, out var cascade)) CascadeDelete = cascade;
        if (FieldOptions.TryString(json, "collectionId", errors, out var collectionId)) CollectionId = collectionId;
        if (FieldOptions.TryInt(json, "maxSelect", errors, out var maxSelect)) MaxSelect = maxSelect;
        if (FieldOptions.TryInt(json, "minSelect", errors, out var minSelect)) MinSelect = minSelect;
        if (FieldOptions.TryBool(json, "required", errors, out var required)) Required = required;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteBoolean("cascadeDelete", CascadeDelete);
        writer.WriteString("collectionId", CollectionId);
        writer.WriteNumber("maxSelect", MaxSelect);
        writer.WriteNumber("minSelect", MinSelect);
        writer.WriteBoolean("required", Required);
    }

    /// <summary>The related collection must exist (the collection being saved may reference itself).</summary>
    public override void ValidateDefinition(Collection collection, CollectionSet all, ErrorData errors)
    {
        if (CollectionId.Length == 0) errors.Add("collectionId", FieldError.Required());
        else if (CollectionId != collection.Id && all.FindById(CollectionId) is null)
            errors.Add("collectionId", new FieldError("validation_invalid_collection", "The related collection doesn't exist."));
        if (MinSelect < 0) errors.Add("minSelect", FieldErrors.MinGreaterEqual(0));
        if (MaxSelect < 0) errors.Add("maxSelect", FieldErrors.MinGreaterEqual(0));
        else if (MinSelect > 0 && MaxSelect < MinSelect) errors.Add("maxSelect", FieldErrors.MinGreaterEqual(MinSelect));
    }

    /// <summary>An id, a list of ids, or a string holding a JSON array. A single relation keeps the last id.</summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error) =>
        ListValues.TryNormalize(input, IsMultiple, "Must be a record id or an array of record ids.", out value, out error);

    public override bool TryApplyModifier(FieldModifier modifier, object? current, JsonNode? input, out object? value, out FieldError? error) =>
        ListValues.TryApplyModifier(modifier, current, input, IsMultiple, "Must be a record id or an array of record ids.", out value, out error);

    public override FieldError? Validate(object? value)
    {
        var ids = FieldValues.ToList(value);
        if (ids.Count == 0) return Required ? FieldError.Required() : null;
        if (MinSelect > 0 && ids.Count < MinSelect)
        {
            return new FieldError("validation_not_enough_values",
                string.Create(CultureInfo.InvariantCulture, $"Select at least {MinSelect}."), FieldErrors.Params("minSelect", MinSelect));
        }
        var max = Math.Max(MaxSelect, 1);
        if (ids.Count > max) return FieldErrors.TooManyValues(max);
        return null;
    }
}
