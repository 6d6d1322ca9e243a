using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperGao.Api.Analytics;
using PaperGao.Api.Auth;
using PaperGao.Api.Backups;
using PaperGao.Api.Batch;
using PaperGao.Api.Collections;
using PaperGao.Api.Dashboard;
using PaperGao.Api.Files;
using PaperGao.Api.GraphQL;
using PaperGao.Api.GraphiQL;
using PaperGao.Api.Health;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Api.Logs;
using PaperGao.Api.Platform;
using PaperGao.Api.Realtime;
using PaperGao.Api.Records;
using PaperGao.Api.Settings;
using PaperGao.Api.Sql;
using PaperGao.Api.Setup;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Postgres;
using PaperGao.Core.Data.Sqlite;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;

namespace PaperGao.Api;

/// <summary>PaperGao as a library: AddPaperGao() registers the services, UsePaperGao() the middleware and every endpoint.</summary>
public static class PaperGaoApiExtensions
{
    public static IServiceCollection AddPaperGao(this IServiceCollection services, PaperGaoOptions options)
    {
        services.AddSingleton(options);
        // The server's clock: tests replace it with a fake one to move expiry, windows and schedules.
        services.TryAddSingleton(TimeProvider.System);
        Core.Net.OutboundHttp.Configure(options.OutboundAllowHosts);
        services.AddSingleton<IDatabaseProvider>(_ => CreateProvider(options));
        services.AddPaperGaoRealtime(options);
        services.AddSingleton<Core.Mail.IMailer>(_ => new Core.Mail.SmtpMailer(Core.Mail.SendmailProgram.Resolve(options.Sendmail)));
        // Request logs (docs/logs.md): the bounded queue, the log databases, the background writer.
        services.AddSingleton(_ => new RequestLogQueue(options.LogQueueCapacity));
        services.AddSingleton<LogStores>();
        services.AddHostedService<RequestLogWriter>();
        services.AddSingleton<FirstRunSetup>();
        services.AddSingleton<Dashboard.DashboardFiles>();
        services.AddHostedService<SetupAnnouncer>();
        services.AddHostedService<FilesGcService>();
        services.AddPaperGaoBackups();
        services.AddSingleton<Push.PushQueues>();
        services.AddHostedService<Push.PushResumer>();
        services.AddHostedService<PaperGao.Api.GraphQL.GraphQLWarmup>();
        services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
        {
            doc.Info.Title = "PaperGao API";
            doc.Info.Description = "The PocketBase-compatible HTTP API of one project. Every route is also served under /p/{project}.";
            return Task.CompletedTask;
        }));
        return services;
    }

    public static IDatabaseProvider CreateProvider(PaperGaoOptions options) =>
        string.IsNullOrWhiteSpace(options.Db)
            ? new SqliteDatabaseProvider(options.Dir) { StatementTimeout = options.StatementTimeout }
            : new PostgresDatabaseProvider(options.Db, options.Dir) { StatementTimeout = options.StatementTimeout };

    /// <summary>Adds the middleware and maps every endpoint. Call before anything else that handles /api.</summary>
    public static WebApplication UsePaperGao(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.UseGraphiQL();
        app.UseDashboard();
        app.UsePaperGaoPipeline();
        foreach (var extension in app.Services.GetServices<IPaperGaoExtension>()) app.Use(extension.InvokeAsync);
        app.UseRouting();
        app.MapPaperGaoApi();
        return app;
    }

    public static IEndpointRouteBuilder MapPaperGaoApi(this IEndpointRouteBuilder app)
    {
        app.MapHealthApi();
        app.MapRecordsApi();
        app.MapCollectionsApi();
        app.MapAuthMethodsApi();
        app.MapAuthWithPasswordApi();
        app.MapAuthWithOAuth2Api();
        app.MapAuthRefreshApi();
        app.MapImpersonateApi();
        app.MapVerificationApi();
        app.MapPasswordResetApi();
        app.MapEmailChangeApi();
        app.MapOtpApi();
        app.MapTestEmailApi();
        app.MapBatchApi();
        app.MapSettingsApi();
        app.MapSqlApi();
        app.MapProjectsApi();
        app.MapApiKeysApi();
        app.MapLogsApi();
        app.MapAnalyticsApi();
        app.MapSetupApi();
        app.MapStorageUsageApi();
        app.MapFilesApi();
        app.MapTusApi();
        app.MapRealtimeApi();
        app.MapBackupsApi();
        TypeGen.TypeGenApi.MapTypeGenApi(app);
        app.MapGraphQLApi();
        Push.PushApi.MapPushApi(app);
        // Handlers that take only HttpContext are mapped as Func<HttpContext, Task>, not RequestDelegate:
        // a RequestDelegate endpoint carries no API metadata and would be missing from this document.
        foreach (var extension in app.ServiceProvider.GetServices<IPaperGaoExtension>()) extension.MapEndpoints(app);
        Docs.ProjectOpenApi.MapProjectOpenApi(app); // the generated document plus the project's collections
        app.MapFallback((HttpContext _) => throw ApiError.NotFound());
        return app;
    }
}
