using PaperGao.Core.Collections;

namespace PaperGao.GraphQL.Execution;

/// <summary>
/// Who the schema is built for. Superusers see every collection and hidden field; everybody else sees the collections
/// whose rules are not locked, without hidden fields. <see cref="Root"/> gives the collection a root field acts on for an
/// action (list, view, create, update, delete), or null when the caller may not call it at all (a locked rule, or an API
/// key without that scope): such root fields are left out of the caller's schema.
/// </summary>
public sealed class GraphQLAccess
{
    public required bool Superuser { get; init; }

    /// <summary>Identifies the schema variant in the cache: "su", "public", or one per scoped API key (and its version).</summary>
    public required string CacheKey { get; init; }

    /// <summary>The collection to act on (an API key's copy with its granted rules opened), or null when not allowed.</summary>
    public required Func<Collection, string, Collection?> Root { get; init; }

    /// <summary>The usual access of a superuser or of a user/guest (a locked rule hides the root field).</summary>
    public static GraphQLAccess For(bool superuser) => superuser ? SuperuserAccess : PublicAccess;

    private static readonly GraphQLAccess SuperuserAccess = new() { Superuser = true, CacheKey = "su", Root = (c, _) => c };

    private static readonly GraphQLAccess PublicAccess = new() { Superuser = false, CacheKey = "public", Root = (c, action) => RuleOf(c, action) is null ? null : c };

    public static string? RuleOf(Collection c, string action) => action switch
    {
        "list" => c.ListRule,
        "view" => c.ViewRule,
        "create" => c.CreateRule,
        "update" => c.UpdateRule,
        "delete" => c.DeleteRule,
        _ => null,
    };
}
