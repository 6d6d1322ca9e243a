using GraphQL.Validation;
using GraphQLParser.AST;

namespace PaperGao.GraphQL.Execution;

/// <summary>
/// The depth bounds of a document (docs/graphql.md, "Limits"), with introspection measured on its own terms:
/// <list type="bullet">
/// <item>data fields: at most <see cref="GraphQLLimits.MaxDepth"/> levels of nested selections;</item>
/// <item>inside <c>__schema</c> / <c>__type</c>: at most <see cref="GraphQLLimits.MaxIntrospectionDepth"/> levels (the
/// standard introspection query of GraphiQL and code generators has 15, its <c>ofType</c> chain is linear) and at
/// most <see cref="GraphQLLimits.MaxIntrospectionLists"/> lists of the schema nested in each other (<c>types</c>,
/// <c>fields</c>, <c>args</c>, …: the standard query nests three; <c>fields { type { fields { type { fields … } } } }</c>,
/// which grows with the schema's size to the power of its nesting, is refused).</item>
/// </list>
/// Fragments are followed where they are spread (a fragment already on the path is not entered again: cycles are the
/// spec rules' errors). The complexity limit applies to introspection fields too.
/// </summary>
internal sealed class DepthRule(GraphQLLimits limits) : ValidationRuleBase
{
    private static readonly HashSet<string> IntrospectionLists =
        ["types", "fields", "inputFields", "interfaces", "possibleTypes", "enumValues", "args", "directives"];

    public override ValueTask<INodeVisitor?> GetPreNodeVisitorAsync(ValidationContext context) =>
        new(new MatchingNodeVisitor<GraphQLOperationDefinition>((op, ctx) =>
        {
            if (ctx.Operation is { } selected && !ReferenceEquals(op, selected)) return;
            var fragments = new Dictionary<string, GraphQLFragmentDefinition>(StringComparer.Ordinal);
            foreach (var def in ctx.Document.Definitions)
            {
                if (def is GraphQLFragmentDefinition f) fragments.TryAdd(f.FragmentName.Name.StringValue, f);
            }
            var walk = new Walk(limits, fragments);
            walk.Visit(op.SelectionSet, depth: 0, introspection: null);
            if (walk.Error is { } error) ctx.ReportError(new DepthError(ctx.Document.Source, error.Message, error.Node));
        }));

    private sealed class Walk(GraphQLLimits limits, Dictionary<string, GraphQLFragmentDefinition> fragments)
    {
        private readonly HashSet<string> _onPath = new(StringComparer.Ordinal);

        public (string Message, ASTNode Node)? Error { get; private set; }

        /// <param name="introspection">null outside introspection; inside, the number of schema lists on the path.</param>
        public void Visit(GraphQLSelectionSet set, int depth, int? introspection)
        {
            foreach (var selection in set.Selections)
            {
                if (Error is not null) return;
                switch (selection)
                {
                    case GraphQLField field:
                        VisitField(field, depth, introspection);
                        break;
                    case GraphQLInlineFragment inline:
                        Visit(inline.SelectionSet, depth, introspection);
                        break;
                    case GraphQLFragmentSpread spread:
                        var name = spread.FragmentName.Name.StringValue;
                        if (!fragments.TryGetValue(name, out var fragment) || !_onPath.Add(name)) break;
                        Visit(fragment.SelectionSet, depth, introspection);
                        _onPath.Remove(name);
                        break;
                }
            }
        }

        private void VisitField(GraphQLField field, int depth, int? introspection)
        {
            var name = field.Name.StringValue;
            if (introspection is null && depth == 0 && name is "__schema" or "__type") introspection = 0;
            if (introspection is { } lists && IntrospectionLists.Contains(name)) introspection = lists + 1;
            var level = depth + 1;
            if (introspection is null && level > limits.MaxDepth)
            {
                Error = ($"The query is too deep: at most {limits.MaxDepth} levels.", field);
                return;
            }
            if (introspection is { } n && (level > limits.MaxIntrospectionDepth || n > limits.MaxIntrospectionLists))
            {
                Error = ($"The introspection query is too deep: at most {limits.MaxIntrospectionDepth} levels and " +
                    $"{limits.MaxIntrospectionLists} nested lists of the schema (types, fields, args, …).", field);
                return;
            }
            if (field.SelectionSet is { } inner) Visit(inner, level, introspection);
        }
    }
}

/// <summary>A document over the depth bounds (extensions.code "DEPTH").</summary>
internal sealed class DepthError(GraphQLParser.ROM source, string message, ASTNode node) : ValidationError(source, "DEPTH", message, node);
