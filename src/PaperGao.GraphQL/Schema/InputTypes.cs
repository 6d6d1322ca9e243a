using GraphQL.Types;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Records;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// &lt;Name&gt;CreateInput and &lt;Name&gt;UpdateInput: the writable fields (no autodate, no file: uploads stay on REST),
/// all optional so the record validation reports what is missing per field, as REST does. Update inputs also carry the
/// modifiers: &lt;field&gt;_add / &lt;field&gt;_subtract for numbers ("field+", "field-"), and &lt;field&gt;_append /
/// &lt;field&gt;_prepend / &lt;field&gt;_remove for multiple selects and relations ("field+", "+field", "field-").
/// </summary>
internal static class InputTypes
{
    /// <summary>An input type with, per GraphQL field name, the key of the REST body it becomes.</summary>
    public sealed record Input(InputObjectGraphType Type, IReadOnlyDictionary<string, string> BodyKeys);

    public static Input Build(SchemaModel m, Collection c, string typeName, bool update)
    {
        var t = new InputObjectGraphType { Name = m.TypeNames.Claim(typeName + (update ? "UpdateInput" : "CreateInput")) };
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new NameScope();
        void Add(string bodyKey, string wanted, IGraphType type)
        {
            var name = names.Claim(GraphQLNames.Sanitize(wanted));
            t.AddField(new FieldType { Name = name, ResolvedType = type });
            keys[name] = bodyKey;
        }

        foreach (var f in c.Fields)
        {
            if (f is AutodateField or FileField) continue;
            if (f.Name == "id")
            {
                if (!update) Add("id", "id", new IdGraphType());
                continue;
            }
            if (f is PasswordField)
            {
                Add(f.Name, f.Name, new StringGraphType());
                Add("passwordConfirm", "passwordConfirm", new StringGraphType());
                if (update) Add("oldPassword", "oldPassword", new StringGraphType());
                continue;
            }
            if (!RecordVisibility.IsReadable(c, f, m.Access.Superuser)) continue;
            var type = InputType(m, f);
            if (type is null) continue;
            Add(f.Name, f.Name, type);
            if (!update) continue;
            switch (f)
            {
                case NumberField:
                    Add(f.Name + "+", f.Name + "_add", new FloatGraphType());
                    Add(f.Name + "-", f.Name + "_subtract", new FloatGraphType());
                    break;
                case SelectField { IsMultiple: true }:
                case RelationField { IsMultiple: true }:
                    IGraphType item = f is RelationField ? new IdGraphType() : new StringGraphType();
                    Add(f.Name + "+", f.Name + "_append", new ListGraphType(new NonNullGraphType(item)));
                    Add("+" + f.Name, f.Name + "_prepend", new ListGraphType(new NonNullGraphType(item)));
                    Add(f.Name + "-", f.Name + "_remove", new ListGraphType(new NonNullGraphType(item)));
                    break;
            }
        }
        return new Input(t, keys);
    }

    private static IGraphType? InputType(SchemaModel m, Field f) => f switch
    {
        NumberField { OnlyInt: true } => new IntGraphType(),
        NumberField => new FloatGraphType(),
        BoolField => new BooleanGraphType(),
        DateField => m.Shared.DateTime,
        JsonField => m.Shared.Json,
        GeoPointField => m.Shared.GeoPointInput,
        SelectField { IsMultiple: true } => new ListGraphType(new NonNullGraphType(new StringGraphType())),
        RelationField { IsMultiple: true } => new ListGraphType(new NonNullGraphType(new IdGraphType())),
        RelationField => new IdGraphType(),
        _ => new StringGraphType(),
    };
}
