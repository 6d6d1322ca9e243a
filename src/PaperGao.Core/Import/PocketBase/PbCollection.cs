using System.Text.Json.Nodes;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// One row of PocketBase's _collections, as the collection JSON of the PocketBase API (protocol.md §4.2: the options
/// object — viewQuery or the auth options with their token secrets — merged into the top level).
/// </summary>
public sealed record PbCollection(string Id, string Name, string Type, bool System, JsonObject Json)
{
    public bool IsView => Type == "view";
    public bool IsAuth => Type == "auth";

    /// <summary>The field names of the definition, in order.</summary>
    public IEnumerable<(string Name, string Type, JsonObject Json)> Fields =>
        (Json["fields"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(f => (f["name"]?.GetValue<string>() ?? "", f["type"]?.GetValue<string>() ?? "", f));
}
