using System.Buffers;
using System.Text;
using System.Text.Json;
using PaperGao.Core.Common;

namespace PaperGao.Core.Logs;

/// <summary>
/// Turns a captured request into PocketBase's log model: message "METHOD url", data {type:"request", method, url,
/// status, execTime, auth, ...}. Runs on the background writer. Secrets stay out: no header is kept but the user
/// agent and referer, and the values of credential-like query parameters (token, password, key, ...) are replaced.
/// </summary>
public static class LogRowBuilder
{
    public const string Redacted = "[redacted]";

    private static readonly HashSet<string> SecretParams = new(StringComparer.OrdinalIgnoreCase)
    {
        "token", "password", "passwordConfirm", "oldPassword", "secret", "key", "apiKey", "api_key", "code", "code_verifier", "state", "otp", "access_token", "refresh_token", "id_token",
    };

    /// <summary>The row to store, or null when the settings say not to store it (maxDays 0, below minLevel).</summary>
    public static LogRow? Build(RequestLogEntry e, LogSettings settings)
    {
        var level = e.Level;
        if (settings.MaxDays <= 0 || level < settings.MinLevel) return null;
        if (e.FunctionMessage is not null) return new LogRow(LogIds.New(e.Created), DateTimes.Format(e.Created), level, e.FunctionMessage, e.FunctionData);
        var url = e.Path + RedactQuery(e.Query);
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", "request");
            w.WriteString("method", e.Method);
            w.WriteString("url", url);
            w.WriteNumber("status", e.Status);
            w.WriteNumber("execTime", Math.Round(e.DurationMs, 3));
            w.WriteString("auth", e.AuthKind);
            if (e.AuthCollection.Length > 0) w.WriteString("authCollection", e.AuthCollection);
            if (settings.LogAuthId && e.AuthId.Length > 0) w.WriteString("authId", e.AuthId);
            if (settings.LogIp)
            {
                w.WriteString("userIP", e.UserIp);
                w.WriteString("remoteIP", e.RemoteIp);
            }
            w.WriteString("referer", RedactUrl(e.Referer));
            w.WriteString("userAgent", e.UserAgent);
            if (e.Error.Length > 0) w.WriteString("error", e.Error);
            w.WriteEndObject();
        }
        return new LogRow(LogIds.New(e.Created), DateTimes.Format(e.Created), level, e.Method + " " + url, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    /// <summary>A query string ("?a=1&amp;token=x") with the values of credential-like parameters replaced.</summary>
    public static string RedactQuery(string query)
    {
        if (query.Length <= 1) return "";
        var sb = new StringBuilder(query.Length);
        var parts = query.TrimStart('?').Split('&');
        for (var i = 0; i < parts.Length; i++)
        {
            sb.Append(i == 0 ? '?' : '&');
            var part = parts[i];
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? part : part[..eq];
            if (eq >= 0 && SecretParams.Contains(Uri.UnescapeDataString(name.Replace('+', ' ')))) sb.Append(name).Append('=').Append(Redacted);
            else sb.Append(part);
        }
        return sb.ToString();
    }

    /// <summary>A URL (the Referer) with its credential-like query values replaced and its fragment dropped.</summary>
    public static string RedactUrl(string url)
    {
        var hash = url.IndexOf('#', StringComparison.Ordinal);
        if (hash >= 0) url = url[..hash];
        var q = url.IndexOf('?', StringComparison.Ordinal);
        return q < 0 ? url : url[..q] + RedactQuery(url[q..]);
    }
}
