using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections.Fields;

/// <summary>The field JSON of protocol.md §4.2, in both directions.</summary>
public static class FieldJson
{
    /// <summary>
    /// Reads a field object: the common keys (id, name, type, system, hidden, presentable, help), then the type
    /// options. Missing keys keep their defaults; wrongly typed values add errors keyed like the JSON.
    /// Returns null (with an error under "type") when the type is missing or unknown.
    /// An empty id is left empty: the caller assigns <see cref="FieldIds.For"/> when adding the field to a collection.
    /// With <paramref name="existing"/> (the collection's fields before the change), a field whose id and type match one
    /// of them starts from a copy of it, so the keys not submitted keep their stored values (as PocketBase merges).
    /// </summary>
    public static Field? Read(JsonObject json, ErrorData errors, IReadOnlyList<Field>? existing = null)
    {
        var typeName = json["type"] is JsonValue tv && tv.GetValueKind() == JsonValueKind.String ? tv.GetValue<string>() : null;
        var submittedId = json["id"] is JsonValue iv && iv.GetValueKind() == JsonValueKind.String ? iv.GetValue<string>() : "";
        var stored = submittedId.Length == 0 || existing is null ? null
            : existing.FirstOrDefault(f => f.Id == submittedId && string.Equals(f.Type, typeName, StringComparison.Ordinal));
        var field = typeName is null ? null : stored?.Clone() ?? FieldRegistry.Create(typeName);
        if (field is null)
        {
            errors.Add("type", new FieldError("validation_in_invalid", "Must be a valid value."));
            return null;
        }
        if (FieldOptions.TryString(json, "id", errors, out var id)) field.Id = id;
        if (FieldOptions.TryString(json, "name", errors, out var name)) field.Name = name;
        if (FieldOptions.TryBool(json, "system", errors, out var system)) field.System = system;
        if (FieldOptions.TryBool(json, "hidden", errors, out var hidden)) field.Hidden = hidden;
        if (FieldOptions.TryBool(json, "presentable", errors, out var presentable)) field.Presentable = presentable;
        if (FieldOptions.TryString(json, "help", errors, out var help)) field.Help = help;
        field.ReadOptions(json, errors);
        return field;
    }

    /// <summary>
    /// Writes a field object with its keys in alphabetical order, as PocketBase (which marshals a field as a map) does.
    /// </summary>
    public static void Write(Utf8JsonWriter w, Field f)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var inner = new Utf8JsonWriter(buffer)) WriteUnsorted(inner, f);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        w.WriteStartObject();
        foreach (var p in doc.RootElement.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal)) p.WriteTo(w);
        w.WriteEndObject();
    }

    /// <summary>The common keys then the type options.</summary>
    private static void WriteUnsorted(Utf8JsonWriter w, Field f)
    {
        w.WriteStartObject();
        w.WriteString("id", f.Id);
        w.WriteString("name", f.Name);
        w.WriteString("type", f.Type);
        w.WriteBoolean("system", f.System);
        w.WriteBoolean("hidden", f.Hidden);
        w.WriteBoolean("presentable", f.Presentable);
        w.WriteString("help", f.Help);
        f.WriteOptions(w);
        w.WriteEndObject();
    }

    /// <summary>The field JSON as a string.</summary>
    public static string ToJsonString(Field f)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms)) Write(w, f);
        return System.Text.Encoding.UTF8.GetString(ms.ToArray());
    }
}
