using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.TypeGen;

namespace PaperGao.Api.Docs;

/// <summary>
/// Adds a project's own collections to an OpenAPI document: per collection the record schema, list/view (and for
/// base/auth collections create/update/delete) with its real fields and the filter/sort/expand/fields parameters, and
/// the auth routes of auth collections. Superusers see every collection and operation; others only the collections
/// whose list rule is not superuser-only, and the operations whose rule is not superuser-only.
/// </summary>
public static class CollectionPaths
{
    public static void AddTo(JsonObject doc, IReadOnlyList<Collection> collections, bool superuser)
    {
        var paths = doc["paths"] as JsonObject ?? [];
        doc["paths"] = paths;
        var components = doc["components"] as JsonObject ?? [];
        doc["components"] = components;
        var schemas = components["schemas"] as JsonObject ?? [];
        components["schemas"] = schemas;
        schemas["Error"] = ErrorSchema();
        var securitySchemes = components["securitySchemes"] as JsonObject ?? [];
        components["securitySchemes"] = securitySchemes;
        securitySchemes["token"] = new JsonObject { ["type"] = "apiKey", ["in"] = "header", ["name"] = "Authorization", ["description"] = "The raw token from an auth-with-* response (no \"Bearer \")." };
        var tags = doc["tags"] as JsonArray ?? [];
        doc["tags"] = tags;

        var visible = TypeGenFields.Sorted([.. collections.Where(c => superuser || c.ListRule is not null)]);
        var names = new TypeGenNames(visible, schemas.Select(s => s.Key).Concat(["Error"]));
        foreach (var c in visible)
        {
            var n = names.Of(c);
            var tag = "Collection: " + c.Name;
            tags.Add(new JsonObject { ["name"] = tag, ["description"] = $"The records of {c.Name} ({c.Type.ToJson()})." });
            schemas[n + "Record"] = FieldSchemas.Record(c, superuser);
            var records = new JsonObject();
            var one = new JsonObject();
            var basePath = "/api/collections/" + c.Name;
            records["get"] = Operation(tag, "list_" + c.Name, $"List {c.Name} records", Rule("list", c.ListRule), ListParameters(), Ok(ListSchema(n)));
            if (superuser || c.ViewRule is not null)
                one["get"] = Operation(tag, "view_" + c.Name, $"View a {c.Name} record", Rule("view", c.ViewRule), [IdParameter(), .. RecordParameters()], Ok(Ref(n + "Record")));
            if (!c.IsView)
            {
                schemas[n + "Create"] = FieldSchemas.Input(c, update: false, multipart: false);
                schemas[n + "Update"] = FieldSchemas.Input(c, update: true, multipart: false);
                var files = c.Fields.OfType<FileField>().Any();
                if (superuser || c.CreateRule is not null)
                    records["post"] = WithBody(Operation(tag, "create_" + c.Name, $"Create a {c.Name} record", Rule("create", c.CreateRule), RecordParameters(), Ok(Ref(n + "Record"))), Body(c, n + "Create", false, files));
                if (superuser || c.UpdateRule is not null)
                    one["patch"] = WithBody(Operation(tag, "update_" + c.Name, $"Update a {c.Name} record", Rule("update", c.UpdateRule), [IdParameter(), .. RecordParameters()], Ok(Ref(n + "Record"))), Body(c, n + "Update", true, files));
                if (superuser || c.DeleteRule is not null)
                    one["delete"] = Operation(tag, "delete_" + c.Name, $"Delete a {c.Name} record", Rule("delete", c.DeleteRule), [IdParameter()], NoContent());
            }
            paths[basePath + "/records"] = records;
            if (one.Count > 0) paths[basePath + "/records/{id}"] = one;
            if (c.IsAuth) AuthPaths.Add(paths, c, tag, n);
        }
    }

    internal static JsonObject Operation(string tag, string id, string summary, string description, IEnumerable<JsonObject> parameters, JsonObject responses)
    {
        var op = new JsonObject
        {
            ["tags"] = new JsonArray(tag),
            ["operationId"] = id,
            ["summary"] = summary,
            ["description"] = description,
            ["security"] = new JsonArray(new JsonObject(), new JsonObject { ["token"] = new JsonArray() }),
            ["responses"] = responses,
        };
        var list = new JsonArray([.. parameters]);
        if (list.Count > 0) op["parameters"] = list;
        var errors = (JsonObject)op["responses"]!;
        foreach (var code in new[] { "400", "401", "403", "404" }) errors[code] = Error(code);
        return op;
    }

    internal static JsonObject WithBody(JsonObject op, JsonObject body)
    {
        op["requestBody"] = body;
        return op;
    }

    internal static JsonObject JsonBody(JsonObject schema) =>
        new() { ["required"] = true, ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } } };

    internal static JsonObject Ok(JsonObject schema) =>
        new() { ["200"] = new JsonObject { ["description"] = "OK", ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = schema } } } };

    internal static JsonObject NoContent() => new() { ["204"] = new JsonObject { ["description"] = "Done." } };

    internal static JsonObject Ref(string schema) => new() { ["$ref"] = "#/components/schemas/" + schema };

    internal static JsonObject Query(string name, string type, string description) =>
        new() { ["name"] = name, ["in"] = "query", ["required"] = false, ["description"] = description, ["schema"] = new JsonObject { ["type"] = type } };

    private static JsonObject Body(Collection c, string schema, bool update, bool files)
    {
        var content = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref(schema) } };
        if (files) content["multipart/form-data"] = new JsonObject { ["schema"] = FieldSchemas.Input(c, update, multipart: true) };
        return new JsonObject { ["required"] = true, ["content"] = content };
    }

    private static string Rule(string action, string? rule) => rule switch
    {
        null => $"Rule: superusers only ({action}).",
        "" => $"Rule: anyone ({action}).",
        _ => $"Rule ({action}): {rule}",
    };

    private static JsonObject ListSchema(string n) => new()
    {
        ["type"] = "object",
        ["properties"] = new JsonObject
        {
            ["page"] = new JsonObject { ["type"] = "integer" },
            ["perPage"] = new JsonObject { ["type"] = "integer" },
            ["totalItems"] = new JsonObject { ["type"] = "integer", ["description"] = "-1 with skipTotal." },
            ["totalPages"] = new JsonObject { ["type"] = "integer", ["description"] = "-1 with skipTotal." },
            ["totalEstimated"] = new JsonObject
            {
                ["type"] = "boolean",
                ["description"] = $"Only with estimateTotal: true when totalItems is above {Core.Data.TotalEstimate.ExactUpTo} and so to be taken as an estimate (totalPages follows it), false when exact.",
            },
            ["items"] = new JsonObject { ["type"] = "array", ["items"] = Ref(n + "Record") },
        },
        ["required"] = new JsonArray("page", "perPage", "totalItems", "totalPages", "items"),
    };

    private static IEnumerable<JsonObject> ListParameters() =>
    [
        Query("page", "integer", "The page (1 by default)."),
        Query("perPage", "integer", "Records per page (30 by default, 1000 at most)."),
        Query("sort", "string", "Fields to sort by, e.g. \"-created,title\"; \"@random\" for a random order."),
        Query("filter", "string", "A filter expression, e.g. \"views > 10 && status = 'live'\"."),
        Query("skipTotal", "boolean", "Skip counting the total (totals are -1)."),
        Query("estimateTotal", "boolean", $"PaperGao's own: count exactly up to {Core.Data.TotalEstimate.ExactUpTo} matches and estimate above (PostgreSQL: the planner's row estimate; SQLite: the matches in 8 windows of 1,000 rows spread over the table, a table of at most {Core.Data.TotalEstimate.SqliteExactTableRowIds} rows counted exactly), so a large list's total no longer costs a scan of every match. The answer says totalEstimated. Not with skipTotal (400)."),
        .. RecordParameters(),
    ];

    private static IEnumerable<JsonObject> RecordParameters() =>
    [
        Query("expand", "string", "Relations to expand, e.g. \"author,tags\"."),
        Query("fields", "string", "The fields to return, e.g. \"id,title,expand.author.name\"."),
    ];

    private static JsonObject IdParameter() =>
        new() { ["name"] = "id", ["in"] = "path", ["required"] = true, ["schema"] = new JsonObject { ["type"] = "string" } };

    private static JsonObject Error(string code) => new()
    {
        ["description"] = code switch { "400" => "Invalid input (per-field errors in data).", "401" => "Authorization required.", "403" => "Not allowed.", _ => "Not found." },
        ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = Ref("Error") } },
    };

    private static JsonObject ErrorSchema() => new()
    {
        ["type"] = "object",
        ["description"] = "The error envelope: data maps field names to {code, message}.",
        ["properties"] = new JsonObject
        {
            ["status"] = new JsonObject { ["type"] = "integer" },
            ["message"] = new JsonObject { ["type"] = "string" },
            ["data"] = new JsonObject { ["type"] = "object" },
        },
        ["required"] = new JsonArray("status", "message", "data"),
    };
}
