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
                if (!update) Add("id", "id", Scalars.Id);
                continue;
            }
            if (f is PasswordField)
            {
                Add(f.Name, f.Name, Scalars.String);
                Add("passwordConfirm", "passwordConfirm", Scalars.String);
                if (update) Add("oldPassword", "oldPassword", Scalars.String);
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
                    Add(f.Name + "+", f.Name + "_add", Scalars.Float);
                    Add(f.Name + "-", f.Name + "_subtract", Scalars.Float);
                    break;
                case SelectField { IsMultiple: true }:
                case RelationField { IsMultiple: true }:
                    var items = f is RelationField ? Scalars.IdList : Scalars.StringList;
                    Add(f.Name + "+", f.Name + "_append", items);
                    Add("+" + f.Name, f.Name + "_prepend", items);
                    Add(f.Name + "-", f.Name + "_remove", items);
                    break;
            }
        }
        return new Input(t, keys);
    }

    private static IGraphType? InputType(SchemaModel m, Field f) => f switch
    {
        NumberField { OnlyInt: true } => Scalars.Int,
        NumberField => Scalars.Float,
        BoolField => Scalars.Boolean,
        DateField => Scalars.DateTime,
        JsonField => Scalars.Json,
        GeoPointField => m.Shared.GeoPointInput,
        SelectField { IsMultiple: true } => Scalars.StringList,
        RelationField { IsMultiple: true } => Scalars.IdList,
        RelationField => Scalars.Id,
        _ => Scalars.String,
    };
}
