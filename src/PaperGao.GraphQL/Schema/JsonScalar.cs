using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL.Types;
using GraphQLParser.AST;

namespace PaperGao.GraphQL.Schema;

/// <summary>The JSON scalar: any JSON value, as a json field stores it (input as a GraphQL literal or a variable).</summary>
public sealed class JsonScalar : ComplexScalarGraphType
{
    public JsonScalar()
    {
        Name = "JSON";
        Description = "Any JSON value (a json field).";
    }

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        JsonNode node => JsonSerializer.SerializeToElement(node),
        _ => base.Serialize(value),
    };

    /// <summary>Turns a parsed input (dictionaries, lists, numbers, strings) into a JsonNode for the record body.</summary>
    public static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode n => n.DeepClone(),
        JsonElement e => JsonNode.Parse(e.GetRawText()),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        double d => JsonValue.Create(d),
        decimal m => JsonValue.Create(m),
        System.Numerics.BigInteger bi => JsonValue.Create((double)bi),
        IDictionary<string, object?> map => new JsonObject(map.Select(kv => KeyValuePair.Create(kv.Key, ToNode(kv.Value)))),
        System.Collections.IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToNode).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    public override object? ParseLiteral(GraphQLValue value) => value is GraphQLNullValue ? null : base.ParseLiteral(value);
}
