namespace PaperGao.Functions.Engine;

/// <summary>
/// The limits every function call runs under (docs/functions.md, "Limits"). A call that exceeds one gets a clean
/// error for that call only; the engine is discarded and replaced, the pool and the server keep working.
/// </summary>
public sealed record FunctionLimits
{
    /// <summary>Wall time of one request-bound call (a route, a hook run by a request).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Wall time of one cron run.</summary>
    public TimeSpan CronTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Statements one call may execute.</summary>
    public int MaxStatements { get; init; } = 50_000_000;

    /// <summary>Bytes one call may allocate (measured on the calling thread, as Jint does).</summary>
    public long MaxMemoryBytes { get; init; } = 64L * 1024 * 1024;

    /// <summary>JavaScript call depth.</summary>
    public int MaxRecursion { get; init; } = 256;

    /// <summary>Time one regular expression match may take.</summary>
    public TimeSpan RegexTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Engines per project (each has every function file loaded).</summary>
    public int PoolSize { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Calls that may hold an engine at once, counting those waiting for host work (an engine each).</summary>
    public int MaxEngines { get; init; } = 32;

    /// <summary>How long a call waits for a free engine before it is refused with 503.</summary>
    public TimeSpan QueueTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Largest function file accepted (deploy and folder).</summary>
    public int MaxFileBytes { get; init; } = 1024 * 1024;
}
