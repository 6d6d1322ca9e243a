using System.Net;
using System.Text.Json;

namespace PaperGao.Core.Realtime;

/// <summary>
/// One parsed subscription (protocol.md §6.3): the raw string as submitted (it is the event name), the collection
/// (id or name) and record id ("*" for the whole collection), and the options query and headers.
/// </summary>
public sealed record Subscription(string Raw, string Collection, string RecordId,
    IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers)
{
    public const string OAuth2Topic = "@oauth2";

    private static readonly IReadOnlyDictionary<string, string> Empty = new Dictionary<string, string>(StringComparer.Ordinal);

    public bool IsOAuth2 => Collection == OAuth2Topic;

    /// <summary>A whole-collection topic ("posts/*" or the deprecated "posts"): the list rule applies.</summary>
    public bool IsCollectionWide => RecordId == "*";

    public string Filter => Query.GetValueOrDefault("filter") ?? "";
    public string Expand => Query.GetValueOrDefault("expand") ?? "";
    public string Fields => Query.GetValueOrDefault("fields") ?? "";

    /// <summary>Query and headers as one comparable string ("" when both are empty): part of the rule-check group key.</summary>
    public string OptionsKey { get; } = Canonical(Query, Headers);

    /// <summary>Parses a subscription string; null with an error message when it is malformed.</summary>
    public static Subscription? Parse(string raw, out string? error)
    {
        error = null;
        if (raw.Any(char.IsControl))
        {
            // The subscription string becomes the SSE event name: a line break would forge other fields.
            error = "Invalid subscription: control characters are not allowed.";
            return null;
        }
        var q = raw.IndexOf('?', StringComparison.Ordinal);
        var topic = q < 0 ? raw : raw[..q];
        var query = Empty;
        var headers = Empty;
        if (q >= 0 && !TryParseOptions(raw[(q + 1)..], out query, out headers, out error)) return null;
        if (topic == OAuth2Topic) return new Subscription(raw, OAuth2Topic, "", query, headers);
        var slash = topic.IndexOf('/', StringComparison.Ordinal);
        var collection = slash < 0 ? topic : topic[..slash];
        var recordId = slash < 0 ? "*" : topic[(slash + 1)..];
        if (collection.Length == 0 || recordId.Length == 0 || recordId.Contains('/', StringComparison.Ordinal))
        {
            error = "Invalid topic: expected \"collection/*\", \"collection/recordId\" or \"@oauth2\".";
            return null;
        }
        return new Subscription(raw, collection, recordId, query, headers);
    }

    private static bool TryParseOptions(string queryString, out IReadOnlyDictionary<string, string> query, out IReadOnlyDictionary<string, string> headers, out string? error)
    {
        query = Empty;
        headers = Empty;
        error = null;
        foreach (var pair in queryString.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = WebUtility.UrlDecode(eq < 0 ? pair : pair[..eq]);
            if (key != "options") continue;
            var json = WebUtility.UrlDecode(eq < 0 ? "" : pair[(eq + 1)..]);
            if (json.Length == 0) continue;
            try
            {
                using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 });
                if (doc.RootElement.ValueKind != JsonValueKind.Object) { error = "Invalid options: expected a JSON object."; return false; }
                if (!TryReadMap(doc.RootElement, "query", snakeCase: false, out query, out error)) return false;
                if (!TryReadMap(doc.RootElement, "headers", snakeCase: true, out headers, out error)) return false;
            }
            catch (JsonException)
            {
                error = "Invalid options: malformed JSON.";
                return false;
            }
        }
        return true;
    }

    private static bool TryReadMap(JsonElement root, string name, bool snakeCase, out IReadOnlyDictionary<string, string> map, out string? error)
    {
        map = Empty;
        error = null;
        if (!root.TryGetProperty(name, out var el) || el.ValueKind == JsonValueKind.Null) return true;
        if (el.ValueKind != JsonValueKind.Object)
        {
            error = $"Invalid options: \"{name}\" must be an object.";
            return false;
        }
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in el.EnumerateObject())
        {
            var key = snakeCase ? p.Name.ToLowerInvariant().Replace('-', '_') : p.Name;
            result[key] = p.Value.ValueKind switch
            {
                JsonValueKind.String => p.Value.GetString() ?? "",
                JsonValueKind.Null => "",
                _ => p.Value.GetRawText(),
            };
        }
        map = result;
        return true;
    }

    private static string Canonical(IReadOnlyDictionary<string, string> query, IReadOnlyDictionary<string, string> headers)
    {
        if (query.Count == 0 && headers.Count == 0) return "";
        var sb = new System.Text.StringBuilder();
        foreach (var (k, v) in query.OrderBy(x => x.Key, StringComparer.Ordinal)) sb.Append("q\u0001").Append(k).Append('\u0001').Append(v).Append('\u0002');
        foreach (var (k, v) in headers.OrderBy(x => x.Key, StringComparer.Ordinal)) sb.Append("h\u0001").Append(k).Append('\u0001').Append(v).Append('\u0002');
        return sb.ToString();
    }
}
