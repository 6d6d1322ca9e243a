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
    public IReadOnlyDictionary<string, string> Query { get; init; } = new Dictionary<string, string>();
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public JsonObject? Body { get; init; }

    /// <summary>True when the auth record belongs to the _superusers collection (or an API key with full scope, later).</summary>
    public bool IsSuperuser { get; init; }

    public static RequestInfo Guest { get; } = new();

    public RequestInfo With(string? context = null, string? method = null, JsonObject? body = null) => new()
    {
        Auth = Auth,
        Method = method ?? Method,
        Context = context ?? Context,
        Query = Query,
        Headers = Headers,
        Body = body ?? Body,
        IsSuperuser = IsSuperuser,
    };
}
