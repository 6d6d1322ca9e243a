using GraphQL.Types;
using GraphQLParser.AST;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// The DateTime scalar of date and autodate fields: the stored UTC text as REST returns it ("2024-01-02 15:04:05.000Z"),
/// null for an empty value. As input it takes the same text (validated by the field like a REST body).
/// </summary>
public sealed class DateTimeScalar : ScalarGraphType
{
    public DateTimeScalar()
    {
        Name = "DateTime";
        Description = "A UTC date and time as text, \"2006-01-02 15:04:05.000Z\" (the REST format).";
    }

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLNullValue => null,
        GraphQLStringValue s => (string)s.Value,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string s => s,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null or "" => null,
        string s => s,
        _ => ThrowSerializationError(value),
    };
}
