using PaperGao.Api;
using PaperGao.Core.Projects;
using PaperGao.Functions;

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

    private static TimeSpan? Seconds(string? raw) =>
        double.TryParse(raw, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0 ? TimeSpan.FromSeconds(s) : null;

    public static WebApplication Build(ParsedArgs args)
    {
        var builder = WebApplication.CreateSlimBuilder([.. args.Passthrough]);
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        var options = new PaperGaoOptions
        {
            Dir = builder.Configuration["PaperGao:Dir"] ?? args.Dir,
            Db = builder.Configuration["PaperGao:Db"] ?? args.Db,
            RealtimeIdleTimeout = Seconds(builder.Configuration["PaperGao:RealtimeIdleSeconds"]),
            RealtimeMaxLifetime = Seconds(builder.Configuration["PaperGao:RealtimeMaxLifetimeSeconds"]),
            OutboundAllowHosts = (builder.Configuration["PaperGao:OutboundAllow"] ?? Environment.GetEnvironmentVariable("PAPERGAO_OUTBOUND_ALLOW") ?? "")
                .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            RealtimeQueueCapacity = int.TryParse(builder.Configuration["PaperGao:RealtimeQueue"], System.Globalization.CultureInfo.InvariantCulture, out var q) && q > 0 ? q : null,
        };
        if (double.TryParse(builder.Configuration["PaperGao:StatementTimeoutSeconds"], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var statementSeconds))
            options.StatementTimeout = TimeSpan.FromSeconds(statementSeconds);
        if (TimeSpan.TryParse(builder.Configuration["PaperGao:FilesGcInterval"], System.Globalization.CultureInfo.InvariantCulture, out var gcInterval))
            options.FilesGcInterval = gcInterval;
        if (builder.Configuration["urls"] is null && builder.Configuration["ASPNETCORE_URLS"] is null)
            builder.WebHost.UseUrls(args.Http.Contains("://", StringComparison.Ordinal) ? args.Http : "http://" + args.Http);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = options.MaxBodySize;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        builder.Services.AddPaperGao(options);
        builder.Services.AddPaperGaoFunctions(FunctionsConfig.Limits(builder.Configuration));
        var app = builder.Build();
        app.UsePaperGao();
        return app;
    }
}
