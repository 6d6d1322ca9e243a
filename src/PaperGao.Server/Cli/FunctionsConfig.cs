using System.Globalization;
using PaperGao.Functions.Engine;

namespace PaperGao.Server.Cli;

/// <summary>Function limits from configuration (PaperGao:Functions:TimeoutSeconds, CronTimeoutSeconds, MemoryMb, PoolSize, ...).</summary>
public static class FunctionsConfig
{
    public static FunctionLimits Limits(IConfiguration config)
    {
        var d = new FunctionLimits();
        var s = config.GetSection("PaperGao:Functions");
        return d with
        {
            RequestTimeout = Seconds(s["TimeoutSeconds"]) ?? d.RequestTimeout,
            CronTimeout = Seconds(s["CronTimeoutSeconds"]) ?? d.CronTimeout,
            MaxMemoryBytes = Int(s["MemoryMb"]) is { } mb ? mb * 1024L * 1024 : d.MaxMemoryBytes,
            MaxStatements = Int(s["MaxStatements"]) ?? d.MaxStatements,
            MaxRecursion = Int(s["MaxRecursion"]) ?? d.MaxRecursion,
            PoolSize = Int(s["PoolSize"]) ?? d.PoolSize,
            QueueTimeout = Seconds(s["QueueSeconds"]) ?? d.QueueTimeout,
        };
    }

    private static TimeSpan? Seconds(string? raw) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0 ? TimeSpan.FromSeconds(v) : null;

    private static int? Int(string? raw) => int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v > 0 ? v : null;
}
