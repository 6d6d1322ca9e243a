using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.TypeGen;

namespace PaperGao.Api.Docs;

/// <summary>JSON Schemas (OpenAPI 3.1) of a collection's records and request bodies, from its fields.</summary>
public static class FieldSchemas
{
    /// <summary>A record as the API returns it (hidden fields only for superusers; password hashes never).</summary>
    public static JsonObject Record(Collection c, bool includeHidden)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var f in c.Fields.Where(f => !TypeGenFields.IsNeverReturned(f) && (includeHidden || !f.Hidden)))
        {
            properties[f.Name] = ReadSchema(f);
            if (!f.Hidden) required.Add(f.Name);
        }
        properties["collectionId"] = new JsonObject { ["type"] = "string", ["const"] = c.Id };
        properties["collectionName"] = new JsonObject { ["type"] = "string", ["const"] = c.Name };
        properties["expand"] = new JsonObject { ["type"] = "object", ["description"] = "Relations asked for with ?expand=." };
        required.Add("collectionId");
        required.Add("collectionName");
        return new JsonObject { ["type"] = "object", ["description"] = $"A record of {c.Name} ({c.Type.ToJson()}).", ["properties"] = properties, ["required"] = required };
    }

    /// <summary>A create (or, with <paramref name="update"/>, update) body. With <paramref name="multipart"/>, file fields are binary parts.</summary>
    public static JsonObject Input(Collection c, bool update, bool multipart)
    {
        var properties = new JsonObject();
        var required = new JsonArray();
        foreach (var f in c.Fields.Where(TypeGenFields.IsWritable))
        {
            if (f is FileField && !multipart) continue;
            properties[f.Name] = WriteSchema(f);
            if (f is PasswordField) properties[f.Name + "Confirm"] = new JsonObject { ["type"] = "string" };
            if (!update && TypeGenFields.IsRequiredOnCreate(f))
            {
                required.Add(f.Name);
                if (f is PasswordField) required.Add(f.Name + "Confirm");
            }
        }
        if (update && c.IsAuth) properties["oldPassword"] = new JsonObject { ["type"] = "string", ["description"] = "Needed to change the password of a non-superuser." };
        var schema = new JsonObject { ["type"] = "object", ["properties"] = properties };
        if (required.Count > 0) schema["required"] = required;
        return schema;
    }

    private static JsonObject ReadSchema(Field f)
    {
        var s = f switch
        {
            SelectField sel when sel.IsMultiple => Array(Enum(sel.Values)),
            SelectField sel => Enum(sel.Required ? sel.Values : [.. sel.Values, ""]),
            RelationField or FileField when f.IsMultiple => Array(new JsonObject { ["type"] = "string" }),
            NumberField n => new JsonObject { ["type"] = n.OnlyInt ? "integer" : "number" },
            BoolField => new JsonObject { ["type"] = "boolean" },
            JsonField => new JsonObject(),
            GeoPointField => new JsonObject
            {
                ["type"] = "object",
                ["properties"] = new JsonObject { ["lon"] = new JsonObject { ["type"] = "number" }, ["lat"] = new JsonObject { ["type"] = "number" } },
                ["required"] = new JsonArray("lon", "lat"),
            },
            EmailField => new JsonObject { ["type"] = "string", ["format"] = "email" },
            DateField or AutodateField => new JsonObject { ["type"] = "string", ["description"] = "UTC \"2006-01-02 15:04:05.000Z\", or \"\" when empty." },
            _ => new JsonObject { ["type"] = "string" },
        };
        if (f.Help.Length > 0) s["description"] = f.Help;
        return s;
    }

    private static JsonObject WriteSchema(Field f) => f switch
    {
        FileField when f.IsMultiple => Array(Binary()),
        FileField => Binary(),
        PasswordField => new JsonObject { ["type"] = "string", ["format"] = "password" },
        _ => ReadSchema(f),
    };

    private static JsonObject Binary() => new() { ["type"] = "string", ["format"] = "binary" };

    private static JsonObject Array(JsonObject items) => new() { ["type"] = "array", ["items"] = items };

    private static JsonObject Enum(IEnumerable<string> values) => new() { ["type"] = "string", ["enum"] = new JsonArray([.. values.Select(v => (JsonNode)v)]) };
}
