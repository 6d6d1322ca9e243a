using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using GraphQL.Types;
using PaperGao.Core.Collections;
using PaperGao.Core.Telemetry;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Schema;

/// <summary>
/// The generated schemas, per collection set (a project's set is replaced as a whole on every schema change, locally or
/// through the schema-change broadcast, so a new set means a rebuild and the old entries are collected with it) and per
/// kind of caller (superuser, user or guest, each scoped API key). Never built per request.
/// </summary>
public static class SchemaCache
{
    private const int MaxVariantsPerSet = 64;
    private static readonly ConditionalWeakTable<CollectionSet, ConcurrentDictionary<string, Lazy<ISchema>>> Schemas = [];

    public static ISchema Get(CollectionSet set, GraphQLAccess access)
    {
        var variants = Schemas.GetOrCreateValue(set);
        if (variants.Count >= MaxVariantsPerSet && !variants.ContainsKey(access.CacheKey)) variants.Clear();
        return variants.GetOrAdd(access.CacheKey, _ => new Lazy<ISchema>(() => Build(set, access))).Value;
    }

    private static ISchema Build(CollectionSet set, GraphQLAccess access)
    {
        using var timing = PaperGaoMetrics.TimeGraphQLSchemaBuild(access.Superuser ? "superuser" : access.CacheKey.StartsWith("key:", StringComparison.Ordinal) ? "key" : "public");
        return SchemaBuilder.Build(set, access);
    }
}
