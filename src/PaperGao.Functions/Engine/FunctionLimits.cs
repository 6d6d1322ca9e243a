using System.Globalization;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;

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

    /// <summary>
    /// The per-project settings (PATCH /api/functions/settings {"limits": {...}}): name, smallest value, the server's
    /// value (the ceiling: a project may lower its limits, never raise them above the operator's), and how to apply it.
    /// </summary>
    private static readonly (string Key, double Min, Func<FunctionLimits, double> Ceiling, Func<FunctionLimits, double, FunctionLimits> Apply)[] Settable =
    [
        ("timeoutSeconds", 0.1, l => l.RequestTimeout.TotalSeconds, (l, v) => l with { RequestTimeout = TimeSpan.FromSeconds(v) }),
        ("cronTimeoutSeconds", 1, l => l.CronTimeout.TotalSeconds, (l, v) => l with { CronTimeout = TimeSpan.FromSeconds(v) }),
        ("maxStatements", 1000, l => l.MaxStatements, (l, v) => l with { MaxStatements = (int)v }),
        ("memoryMb", 1, l => l.MaxMemoryBytes / (1024.0 * 1024), (l, v) => l with { MaxMemoryBytes = (long)(v * 1024 * 1024) }),
        ("maxRecursion", 8, l => l.MaxRecursion, (l, v) => l with { MaxRecursion = (int)v }),
        ("regexTimeoutMs", 10, l => l.RegexTimeout.TotalMilliseconds, (l, v) => l with { RegexTimeout = TimeSpan.FromMilliseconds(v) }),
        ("poolSize", 1, l => l.PoolSize, (l, v) => l with { PoolSize = (int)v }),
    ];

    /// <summary>These limits with a project's overrides applied (unknown keys and values out of range are ignored: they were checked when stored).</summary>
    public FunctionLimits WithOverrides(JsonObject? overrides)
    {
        var l = this;
        if (overrides is null) return l;
        foreach (var (key, min, ceiling, apply) in Settable)
        {
            if (overrides[key] is JsonValue v && v.TryGetValue<double>(out var d) && d >= min && d <= ceiling(this)) l = apply(l, d);
        }
        return l;
    }

    /// <summary>The effective value of every settable limit (GET /api/functions/settings).</summary>
    public JsonObject ToSettingsJson()
    {
        var o = new JsonObject();
        foreach (var (key, _, ceiling, _) in Settable) o[key] = ceiling(this);
        return o;
    }

    /// <summary>
    /// Merges a PATCH's limits into the stored overrides: a number sets (checked: at least the minimum, at most the
    /// server's value, whole numbers where counts are meant), null removes; problems go into errors per key.
    /// </summary>
    public JsonObject MergeOverrides(JsonObject? stored, JsonNode? patch, ErrorData errors)
    {
        var result = stored?.DeepClone() as JsonObject ?? [];
        if (patch is not JsonObject input)
        {
            errors.Add("limits", new FieldError("validation_invalid_value", "Expected an object of limits."));
            return result;
        }
        var nested = new ErrorData();
        foreach (var (key, value) in input)
        {
            var entry = Array.Find(Settable, x => x.Key == key);
            if (entry.Key is null)
            {
                nested.Add(key, new FieldError("validation_unknown_limit", "Unknown limit; settable: " + string.Join(", ", Settable.Select(x => x.Key)) + "."));
                continue;
            }
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            var max = entry.Ceiling(this);
            var whole = key is "maxStatements" or "maxRecursion" or "poolSize" or "regexTimeoutMs";
            if (value is not JsonValue jv || !jv.TryGetValue<double>(out var d) || double.IsNaN(d) || d < entry.Min || d > max || (whole && d != Math.Floor(d)))
            {
                nested.Add(key, new FieldError("validation_out_of_range",
                    string.Create(CultureInfo.InvariantCulture, $"Must be a {(whole ? "whole " : "")}number from {entry.Min} to {max} (the server's limit).")));
                continue;
            }
            result[key] = d;
        }
        if (!nested.IsEmpty) errors.Add("limits", nested);
        return result;
    }
}
