namespace PaperGao.Core.Logs;

/// <summary>
/// One finished request as captured on the request path: plain values only, so capturing costs a few field copies.
/// Turning it into a log row (redaction, JSON, level) happens on the background writer.
/// </summary>
public sealed class RequestLogEntry
{
    public required DateTime Created { get; init; }
    public required string Method { get; init; }
    /// <summary>The path as the client sent it (with the "/p/{project}" prefix) and the raw query string.</summary>
    public required string Path { get; init; }
    public string Query { get; init; } = "";
    public required int Status { get; init; }
    public required double DurationMs { get; init; }
    /// <summary>guest, superuser, auth (an auth record of another collection) or apiKey.</summary>
    public required string AuthKind { get; init; }
    public string AuthCollection { get; init; } = "";
    public string AuthId { get; init; } = "";
    public string UserIp { get; init; } = "";
    public string RemoteIp { get; init; } = "";
    public string UserAgent { get; init; } = "";
    public string Referer { get; init; } = "";
    /// <summary>The message of the error envelope the request was answered with, if any.</summary>
    public string Error { get; init; } = "";

    /// <summary>slog levels as PocketBase stores them: 0 INFO below 400, 4 WARN for 4xx, 8 ERROR for 5xx.</summary>
    public int Level => FunctionMessage is not null ? FunctionLevel : Status >= 500 ? LogLevels.Error : Status >= 400 ? LogLevels.Warn : LogLevels.Info;

    /// <summary>A function's log line (console.*, $app.logger()) rather than a request: its message, level and data JSON.</summary>
    public string? FunctionMessage { get; init; }
    public int FunctionLevel { get; init; }
    public string FunctionData { get; init; } = "{}";
}

/// <summary>The numeric levels of log rows (Go's slog, as PocketBase's logs use).</summary>
public static class LogLevels
{
    public const int Debug = -4;
    public const int Info = 0;
    public const int Warn = 4;
    public const int Error = 8;
}
