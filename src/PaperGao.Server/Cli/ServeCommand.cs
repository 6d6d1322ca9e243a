using PaperGao.Api;
using PaperGao.Core.Projects;
using PaperGao.Functions;
using PaperGao.Server.Configuration;
using PaperGao.Server.Telemetry;

namespace PaperGao.Server.Cli;

/// <summary>papergao serve: the HTTP server on the embedded SQLite default or PostgreSQL.</summary>
public static class ServeCommand
{
    public static async Task RunAsync(ParsedArgs args)
    {
        var app = Build(args);
        var registry = app.Services.GetRequiredService<ProjectRegistry>();
        await registry.InitializeAsync();
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao");
        app.Lifetime.ApplicationStarted.Register(() =>
            log.LogInformation("PaperGao serving {Urls} ({Store})", string.Join(", ", app.Urls), app.Services.GetRequiredService<PaperGaoOptions>().Db is null ? "SQLite in " + Path.GetFullPath(args.Dir) : "PostgreSQL"));
        await app.RunAsync();
    }

    public static WebApplication Build(ParsedArgs args)
    {
        var builder = WebApplication.CreateSlimBuilder([.. args.Passthrough]);
        var config = args.Config;
        builder.Logging.ClearProviders();
        if (config["log-format"] == "json")
        {
            builder.Logging.AddJsonConsole(o => { o.IncludeScopes = true; o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ"; o.UseUtcTimestamp = true; });
            builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        }
        else builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        TimeSpan? Seconds(string name) => config.IsSet(name) ? TimeSpan.FromSeconds(OptionValues.Seconds(config[name]!)) : null;
        var options = new PaperGaoOptions
        {
            Dir = args.Dir,
            Db = args.Db,
            RealtimeIdleTimeout = Seconds("realtime-idle-seconds"),
            RealtimeMaxLifetime = Seconds("realtime-max-lifetime-seconds"),
            OutboundAllowHosts = OptionValues.List(config["outbound-allow"] ?? ""),
            Sendmail = config["sendmail"] ?? "auto",
            RealtimeQueueCapacity = config.IsSet("realtime-queue") ? OptionValues.Int(config["realtime-queue"]!) : null,
            RealtimeNotifyInTransaction = config["realtime-notify"] == "transaction",
        };
        if (config.IsSet("statement-timeout-seconds"))
            options.StatementTimeout = TimeSpan.FromSeconds(OptionValues.Seconds(config["statement-timeout-seconds"]!));
        if (config.IsSet("files-gc-interval"))
            options.FilesGcInterval = OptionValues.Interval(config["files-gc-interval"]!);
        var metrics = MetricsSettings.From(config);
        // --urls / ASPNETCORE_URLS replace --http; the metrics address is added to whichever public addresses apply.
        var hostUrls = builder.Configuration["urls"] ?? builder.Configuration["ASPNETCORE_URLS"];
        var publicUrls = hostUrls ?? MetricsSettings.ToUrl(args.Http);
        if (metrics.ListenUrl is not null) builder.WebHost.UseUrls(publicUrls + ";" + metrics.ListenUrl);
        else if (hostUrls is null) builder.WebHost.UseUrls(publicUrls);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBodySize;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddPaperGao(options);
        builder.Services.AddPaperGaoFunctions(FunctionsConfig.Limits(config));
        var otlp = config["otlp-endpoint"];
        if (metrics.Enabled || otlp is not null) builder.Services.AddPaperGaoResource();
        if (metrics.Enabled) builder.Services.AddPaperGaoMetrics();
        if (otlp is not null) builder.Services.AddPaperGaoTracing(otlp);
        var app = builder.Build();
        app.UseMetricsEndpoint(metrics);
        app.UsePaperGao();
        return app;
    }
}
