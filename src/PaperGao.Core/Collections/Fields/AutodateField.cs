using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// A datetime set by the server ("autodate"): now on create (<see cref="OnCreate"/>) and/or on every update
/// (<see cref="OnUpdate"/>). Submitted values are ignored.
/// </summary>
public sealed class AutodateField : Field
{
    public bool OnCreate { get; set; }
    public bool OnUpdate { get; set; }

    public override string Type => "autodate";
    public override ColumnKind Kind => ColumnKind.Text;
    public override object? ZeroValue => "";

    /// <summary>The usual "created" field.</summary>
    public static AutodateField CreateCreated() => new() { Id = FieldIds.For("autodate", "created"), Name = "created", OnCreate = true };

    /// <summary>The usual "updated" field.</summary>
    public static AutodateField CreateUpdated() => new() { Id = FieldIds.For("autodate", "updated"), Name = "updated", OnCreate = true, OnUpdate = true };

    public override void ReadOptions(JsonObject json, ErrorData errors)
    {
        if (FieldOptions.TryBool(json, "onCreate", errors, out var onCreate)) OnCreate = onCreate;
        if (FieldOptions.TryBool(json, "onUpdate", errors, out var onUpdate)) OnUpdate = onUpdate;
    }

    public override void WriteOptions(Utf8JsonWriter writer)
    {
        writer.WriteBoolean("onCreate", OnCreate);
        writer.WriteBoolean("onUpdate", OnUpdate);
    }

    /// <summary>Client values are ignored: always succeeds with "" (the server sets the value in <see cref="PrepareForSave"/>).</summary>
    public override bool TryNormalize(JsonNode? input, out object? value, out FieldError? error)
    {
        value = "";
        error = null;
        return true;
    }

    public override object? PrepareForSave(object? value, bool isNew, string now)
    {
        if (isNew ? OnCreate : OnUpdate) return now;
        // Keep a stored value; anything that is not a datetime becomes "".
        return value is string s && DateTimes.TryNormalize(s, out var n) ? n : "";
    }

    public override FieldError? Validate(object? value) => null;
}
