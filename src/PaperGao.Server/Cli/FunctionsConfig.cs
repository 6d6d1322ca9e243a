using PaperGao.Functions.Engine;
using PaperGao.Server.Configuration;

namespace PaperGao.Server.Cli;

/// <summary>Function limits from the functions-* options (OptionCatalog); unset ones keep FunctionLimits' defaults.</summary>
public static class FunctionsConfig
{
    public static FunctionLimits Limits(EffectiveConfig config)
    {
        var d = new FunctionLimits();
        TimeSpan? Seconds(string name) => config.IsSet(name) ? TimeSpan.FromSeconds(OptionValues.Seconds(config[name]!)) : null;
        int? Int(string name) => config.IsSet(name) ? OptionValues.Int(config[name]!) : null;
        return d with
        {
            RequestTimeout = Seconds("functions-timeout-seconds") ?? d.RequestTimeout,
            CronTimeout = Seconds("functions-cron-timeout-seconds") ?? d.CronTimeout,
            MaxMemoryBytes = Int("functions-memory-mb") is { } mb ? mb * 1024L * 1024 : d.MaxMemoryBytes,
            MaxStatements = Int("functions-max-statements") ?? d.MaxStatements,
            MaxRecursion = Int("functions-max-recursion") ?? d.MaxRecursion,
            PoolSize = Int("functions-pool-size") ?? d.PoolSize,
            MaxEngines = Int("functions-max-engines") ?? d.MaxEngines,
            QueueTimeout = Seconds("functions-queue-seconds") ?? d.QueueTimeout,
        };
    }
}
