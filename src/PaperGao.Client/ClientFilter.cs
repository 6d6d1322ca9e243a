using System.Collections;
using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;

namespace PaperGao.Client;

/// <summary>
/// Builds filter strings with {:name} placeholders, like the JS SDK's pb.filter: strings are single-quoted with
/// quotes escaped, numbers and booleans are written as literals, null as null, dates as 'yyyy-MM-dd HH:mm:ss.fffZ' (UTC),
/// anything else as its quoted JSON. Unlike the JS SDK, a string ending in a backslash is refused (the filter grammar
/// has no escape for it and it would eat the closing quote), and so is a placeholder without a parameter.
/// </summary>
public static class ClientFilter
{
    /// <param name="raw">The filter, e.g. "title ~ {:q} &amp;&amp; created &gt; {:since}".</param>
    /// <param name="parameters">An anonymous object, a record, or an IDictionary&lt;string, object?&gt;.</param>
    public static string Build(string raw, object? parameters)
    {
        ArgumentNullException.ThrowIfNull(raw);
        var values = Values(parameters);
        var sb = new StringBuilder(raw.Length + 16);
        var i = 0;
        while (i < raw.Length)
        {
            var open = raw.IndexOf("{:", i, StringComparison.Ordinal);
            var close = open < 0 ? -1 : raw.IndexOf('}', open + 2);
            if (open < 0 || close < 0) { sb.Append(raw, i, raw.Length - i); break; }
            var name = raw.Substring(open + 2, close - open - 2);
            sb.Append(raw, i, open - i);
            if (!values.TryGetValue(name, out var value))
                throw new ArgumentException($"The filter placeholder {{:{name}}} has no parameter.", nameof(parameters));
            sb.Append(Literal(value));
            i = close + 1;
        }
        return sb.ToString();
    }

    /// <summary>One value as a filter literal.</summary>
    public static string Literal(object? value) => value switch
    {
        null => "null",
        bool b => b ? "true" : "false",
        string s => Quote(s),
        char c => Quote(c.ToString()),
        DateTime d => Quote(d.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        DateTimeOffset d => Quote(d.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)),
        double d when double.IsFinite(d) => d.ToString("R", CultureInfo.InvariantCulture),
        float f when float.IsFinite(f) => f.ToString("R", CultureInfo.InvariantCulture),
        double or float => throw new ArgumentException("NaN and infinities cannot be used in a filter."),
        sbyte or byte or short or ushort or int or uint or long or ulong or decimal => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        Enum e => Quote(e.ToString()),
        _ => Quote(JsonSerializer.Serialize(value, value.GetType())),
    };

    private static string Quote(string s)
    {
        if (s.EndsWith('\\')) throw new ArgumentException("A filter string parameter cannot end with a backslash.");
        return "'" + s.Replace("'", "\\'", StringComparison.Ordinal) + "'";
    }

    private static Dictionary<string, object?> Values(object? parameters)
    {
        var result = new Dictionary<string, object?>(StringComparer.Ordinal);
        switch (parameters)
        {
            case null:
                break;
            case IDictionary<string, object?> dict:
                foreach (var (k, v) in dict) result[k] = v;
                break;
            case IDictionary dict:
                foreach (DictionaryEntry e in dict) result[Convert.ToString(e.Key, CultureInfo.InvariantCulture)!] = e.Value;
                break;
            default:
                foreach (var p in parameters.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                    if (p.GetIndexParameters().Length == 0) result[p.Name] = p.GetValue(parameters);
                break;
        }
        return result;
    }
}
