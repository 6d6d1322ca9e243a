using GraphQL;
using GraphQL.Utilities;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// A schema made by <see cref="SchemaBuilder"/>. GraphQL.NET's initialization ends with eight passes over every type and
/// field; for a generated schema five of them have nothing to do (no @link or applied directives, no interfaces) or
/// only check what the generator guarantees (valid and unique names, resolved output types: GraphQLNames, NameScope),
/// and they were a fifth of a build. Only the passes that prepare execution run. GraphQLSchemaValidityTests runs
/// GraphQL.NET's full validation on generated schemas, so a generator change that breaks a rule is caught there.
/// </summary>
internal sealed class GeneratedSchema : global::GraphQL.Types.Schema
{
    protected override void Validate()
    {
        CoerceInputTypeDefaultValues();
        FieldTypeDefaultArgumentsVisitor.Instance.Run(this);
    }
}
