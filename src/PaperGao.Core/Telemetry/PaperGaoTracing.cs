using System.Diagnostics;

namespace PaperGao.Core.Telemetry;

/// <summary>
/// PaperGao's own spans (docs/monitoring.md, "Traces"): JavaScript function runs (routes, middleware, hooks, cron) and
/// SQLite statements; PostgreSQL statements come from Npgsql's own source. StartActivity returns null while no
/// tracer listens, so with tracing off a span costs one check.
/// </summary>
public static class PaperGaoTracing
{
    public const string SourceName = "PaperGao";

    public static readonly ActivitySource Source = new(SourceName, "1.0");

    /// <summary>
    /// Set by the server when traces are exported, before any database opens: SQLite connections then report each
    /// statement (SqliteStatementSpans). Off, they carry no callback at all.
    /// </summary>
    public static bool SqliteStatements { get; set; }

    /// <summary>A span for one function run: "function hook onRecordCreate", "function route GET /hello".</summary>
    public static Activity? StartFunction(string kind, string name, string project)
    {
        if (!Source.HasListeners()) return null;
        var activity = Source.StartActivity("function " + kind + " " + name, ActivityKind.Internal);
        activity?.SetTag("papergao.function.kind", kind);
        activity?.SetTag("papergao.function.name", name);
        activity?.SetTag("papergao.project", project);
        return activity;
    }
}
