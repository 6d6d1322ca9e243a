namespace PaperGao.Core.ApiKeys;

/// <summary>The record actions an API key can be granted on a collection.</summary>
public static class ApiKeyActions
{
    public const string List = "list";
    public const string View = "view";
    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";

    public static IReadOnlyList<string> All { get; } = [List, View, Create, Update, Delete];

    public static bool IsKnown(string action) => All.Contains(action, StringComparer.Ordinal);
}

/// <summary>What a key may do on one collection (by id, so a rename keeps the grant).</summary>
public sealed record ApiKeyScope(string CollectionId, IReadOnlySet<string> Actions);

/// <summary>
/// A project API key. <see cref="Superuser"/> keys act as a superuser of the project; the others may perform exactly
/// the actions of their <see cref="Scopes"/>. The secret itself is never kept: only its SHA-256 (<see cref="Hash"/>).
/// </summary>
public sealed record ApiKey(
    string Id,
    string Name,
    string Hash,
    bool Superuser,
    IReadOnlyList<ApiKeyScope> Scopes,
    string Expires,
    string LastUsed,
    string Created,
    string Updated)
{
    /// <summary>The key may send push notifications and read their delivery logs (/api/push/send, /api/push/sends).</summary>
    public bool Push { get; init; }

    public bool IsExpired(DateTimeOffset now) =>
        Expires.Length > 0 && Common.DateTimes.TryParse(Expires, out var at) && at <= now;

    /// <summary>The actions granted on a collection (empty when none).</summary>
    public IReadOnlySet<string> ActionsOn(string collectionId)
    {
        foreach (var s in Scopes)
        {
            if (s.CollectionId == collectionId) return s.Actions;
        }
        return EmptyActions;
    }

    private static readonly IReadOnlySet<string> EmptyActions = new HashSet<string>();
}
