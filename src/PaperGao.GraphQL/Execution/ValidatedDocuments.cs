using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL.Types;
using GraphQL.Validation;
using GraphQL.Validation.Complexity;
using GraphQL.Validation.Rules.Custom;
using GraphQLParser.AST;

namespace PaperGao.GraphQL.Execution;

/// <summary>
/// Documents that already passed parsing, our bounds and the full validation against one cached schema (per schema
/// instance, so a collection change drops them with the schema, and per limits). A repeated query skips parsing and the
/// document rules; only the complexity rule runs again, and only for an operation with variables (perPage may come from
/// them): without variables its complexity cannot change. Bounded: the table is emptied when it reaches
/// <see cref="MaxPerSchema"/> entries, and long queries are not kept.
/// </summary>
internal static class ValidatedDocuments
{
    private const int MaxPerSchema = 512;
    private const int MaxCachedQueryLength = 8_000;
    private static readonly ConditionalWeakTable<ISchema, ConcurrentDictionary<string, (GraphQLDocument Doc, GraphQLLimits Limits)>> Documents = [];
    private static readonly ConditionalWeakTable<GraphQLLimits, RuleSets> Rules = [];

    public static GraphQLDocument? Find(ISchema schema, string query, bool introspection, GraphQLLimits limits) =>
        Documents.TryGetValue(schema, out var docs) && docs.TryGetValue(Key(query, introspection), out var entry) && entry.Limits == limits ? entry.Doc : null;

    public static void Keep(ISchema schema, string query, bool introspection, GraphQLLimits limits, GraphQLDocument doc)
    {
        if (query.Length > MaxCachedQueryLength) return;
        var docs = Documents.GetValue(schema, _ => new ConcurrentDictionary<string, (GraphQLDocument, GraphQLLimits)>(StringComparer.Ordinal));
        if (docs.Count >= MaxPerSchema) docs.Clear();
        docs[Key(query, introspection)] = (doc, limits);
    }

    private static string Key(string query, bool introspection) => (introspection ? "1" : "0") + query;

    /// <summary>The rules of a document seen for the first time: the spec's rules, depth (DepthRule) and complexity, introspection when not allowed.</summary>
    public static IValidationRule[] Full(GraphQLLimits limits, bool introspection) =>
        introspection ? RulesOf(limits).WithIntrospection : RulesOf(limits).WithoutIntrospection;

    /// <summary>
    /// The rules of a cached document: none when it has one operation without variables (its complexity was checked when
    /// it was cached and cannot change), else complexity (perPage may come from variables, another operation may be picked).
    /// </summary>
    public static IValidationRule[] Cached(GraphQLLimits limits, int operations, GraphQLOperationDefinition operation) =>
        operations == 1 && operation.Variables is not { Items.Count: > 0 } ? [] : RulesOf(limits).Cached;

    private static RuleSets RulesOf(GraphQLLimits limits) => Rules.GetValue(limits, l => new RuleSets(l));

    private sealed class RuleSets
    {
        public RuleSets(GraphQLLimits limits)
        {
            // Depth is DepthRule's (introspection has its own bounds there); the complexity rule only weighs fields.
            var complexity = new ComplexityValidationRule(new ComplexityOptions { MaxComplexity = limits.MaxComplexity });
            var depth = new DepthRule(limits);
            WithIntrospection = [.. DocumentValidator.CoreRules, depth, complexity];
            WithoutIntrospection = [.. DocumentValidator.CoreRules, depth, complexity, NoIntrospectionValidationRule.Instance];
            Cached = [complexity];
        }

        public IValidationRule[] WithIntrospection { get; }
        public IValidationRule[] WithoutIntrospection { get; }
        public IValidationRule[] Cached { get; }
    }
}
