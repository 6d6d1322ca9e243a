using System.Text.Json.Nodes;

namespace PaperGao.Core.Records;

/// <summary>
/// What the rules language sees as @request.*: the caller's auth record (null for guests), the method,
/// query and headers (first values; header names snake_cased lowercase), the submitted body after
/// modifiers, and the context ("default", "password", "realtime", "batch", "expand", ...).
/// </summary>
public sealed class RequestInfo
{
    public Record? Auth { get; init; }
    public string Method { get; init; } = "GET";
    public string Context { get; init; } = "default";
    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>();
    private IReadOnlyDictionary<string, string>? _query;
    private IReadOnlyDictionary<string, string>? _headers;
    private Func<IReadOnlyDictionary<string, string>>? _queryFactory;
    private Func<IReadOnlyDictionary<string, string>>? _headersFactory;

    /// <summary>@request.query.*: built on first use (most requests never need it).</summary>
    public IReadOnlyDictionary<string, string> Query
    {
        get => _query ??= _queryFactory?.Invoke() ?? Empty;
        init => _query = value;
    }

    /// <summary>@request.headers.*: built on first use.</summary>
    public IReadOnlyDictionary<string, string> Headers
    {
        get => _headers ??= _headersFactory?.Invoke() ?? Empty;
        init => _headers = value;
    }

    public Func<IReadOnlyDictionary<string, string>> QueryFactory { init => _queryFactory = value; }
    public Func<IReadOnlyDictionary<string, string>> HeadersFactory { init => _headersFactory = value; }
    public JsonObject? Body { get; init; }

    /// <summary>True when the auth record belongs to the _superusers collection (or an API key with full scope, later).</summary>
    public bool IsSuperuser { get; init; }

    public static RequestInfo Guest { get; } = new();

    public RequestInfo With(string? context = null, string? method = null, JsonObject? body = null) => new()
    {
        Auth = Auth,
        Method = method ?? Method,
        Context = context ?? Context,
        _query = _query,
        _headers = _headers,
        _queryFactory = _queryFactory,
        _headersFactory = _headersFactory,
        Body = body ?? Body,
        IsSuperuser = IsSuperuser,
    };
}
