namespace PaperGao.GraphQL.Execution;

/// <summary>The bounds of one GraphQL request (docs/graphql.md, "Limits").</summary>
public sealed record GraphQLLimits
{
    public int MaxQueryLength { get; init; } = 20_000;
    public int MaxDepth { get; init; } = 10;

    /// <summary>Levels inside __schema / __type: the standard introspection query (GraphiQL, code generators) has 15.</summary>
    public int MaxIntrospectionDepth { get; init; } = 20;

    /// <summary>Lists of the schema (types, fields, args, …) nested in each other inside introspection: the standard query has 3.</summary>
    public int MaxIntrospectionLists { get; init; } = 3;

    /// <summary>Fields weighted by the list sizes they fan out to (perPage of a list, maxSelect of a relation, 10 per back-relation).</summary>
    public int MaxComplexity { get; init; } = 50_000;
    public int MaxAliases { get; init; } = 50;
    public int MaxOperations { get; init; } = 10;

    /// <summary>How long one request may run, all fields and the mutation transaction included.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(30);

    public static GraphQLLimits Default { get; } = new();
}
