using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Realtime;

/// <summary>
/// Registers the realtime broker, the bus (LISTEN/NOTIFY on PostgreSQL, none on SQLite) and the fan-out, and the
/// project registry wired to them (each opened project's hooks are bound; a deleted project's clients are dropped).
/// </summary>
public static class RealtimeServices
{
    public static IServiceCollection AddPaperGaoRealtime(this IServiceCollection services, PaperGaoOptions options)
    {
        services.AddSingleton(new RealtimeOptions
        {
            IdleTimeout = options.RealtimeIdleTimeout ?? RealtimeLimits.DefaultIdleTimeout,
            MaxLifetime = options.RealtimeMaxLifetime ?? RealtimeLimits.DefaultMaxLifetime,
            QueueCapacity = options.RealtimeQueueCapacity ?? RealtimeLimits.DefaultQueueCapacity,
        });
        services.AddSingleton<RealtimeBroker>();
        services.AddSingleton(sp => new RealtimeFanoutLog(sp.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao.Realtime")));
        services.AddSingleton<IRealtimeBus>(sp => string.IsNullOrWhiteSpace(options.Db)
            ? new LocalRealtimeBus()
            : new PostgresRealtimeBus(options.Db, sp.GetRequiredService<RealtimeFanoutLog>().Listening));
        services.AddSingleton(sp =>
        {
            var log = sp.GetRequiredService<RealtimeFanoutLog>();
            return new RealtimeFanout(sp.GetRequiredService<RealtimeBroker>(), sp.GetRequiredService<IRealtimeBus>(),
                // As PocketBase: a subscription whose "fields" cannot be applied gets the whole (rule-checked) record.
                (node, fields) =>
                {
                    try { return FieldsPicker.Apply(node, fields); }
                    catch (PaperGao.Core.Common.ApiError) { return node; }
                },
                log.Failed, options.RealtimeNotifyInTransaction, sp.GetService<TimeProvider>());
        });
        services.AddSingleton(sp =>
        {
            var registry = new ProjectRegistry(sp.GetRequiredService<IDatabaseProvider>(), sp.GetService<TimeProvider>());
            var fanout = sp.GetRequiredService<RealtimeFanout>();
            registry.Opened += fanout.Attach;
            var hookLog = sp.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao.Hooks");
            registry.Opened += p => p.Hooks.OnAfterCommitError = ex => hookLog.LogError(ex, "After-commit work failed in project {Project}", p.Name);
            registry.Deleted += fanout.Broker.DisconnectProject;
            fanout.StartBus(registry.FindOpen, () => registry.OpenProjects);
            return registry;
        });
        return services;
    }
}
