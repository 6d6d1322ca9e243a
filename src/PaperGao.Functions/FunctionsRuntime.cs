using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Logs;
using PaperGao.Core.Net;
using PaperGao.Core.Projects;
using PaperGao.Functions.Deploy;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions;

/// <summary>
/// Functions for every project of the server: attaches to each project as it opens (loads its deployed version or
/// its functions folder, binds its hooks), serves routerAdd routes ahead of the built-in endpoints, and once a
/// second checks for a new deploy, a changed folder, changed settings and due cron jobs.
/// </summary>
public sealed partial class FunctionsRuntime : BackgroundService, IPaperGaoExtension
{
    private readonly ConcurrentDictionary<string, ProjectState> _projects = new(StringComparer.Ordinal);
    private readonly ILogger _log;
    private readonly RequestLogQueue? _logQueue;
    private readonly ProjectRegistry _registry;
    private readonly TimeProvider _time;
    private readonly Api.Push.PushQueues? _push;
    private readonly Core.Mail.IMailer? _mailer;

    /// <param name="time">The clock of the refresh loop and cron (tests move it instead of waiting on the wall clock).</param>
    /// <param name="push">The server's push queues, which the functions' $push.send uses (this server's own, never another's in the process).</param>
    /// <param name="mailer">The server's mailer ($app.newMailClient()).</param>
    public FunctionsRuntime(ProjectRegistry registry, FunctionLimits limits, ILoggerFactory loggers, TimeProvider time, RequestLogQueue? logQueue = null, Api.Push.PushQueues? push = null, Core.Mail.IMailer? mailer = null)
    {
        _push = push;
        _mailer = mailer;
        _registry = registry;
        _time = time;
        Limits = limits;
        _log = loggers.CreateLogger("PaperGao.Functions");
        _logQueue = logQueue;
        registry.Opened += Attach;
        registry.Deleted += name =>
        {
            if (_projects.TryRemove(name, out var s)) s.Functions.Dispose();
        };
    }

    public FunctionLimits Limits { get; }

    /// <summary>The clock of the refresh loop and cron.</summary>
    public TimeProvider Time => _time;

    public ProjectFunctions? For(Project p) => _projects.TryGetValue(p.Name, out var s) && ReferenceEquals(s.Functions.Project, p) ? s.Functions : null;

    internal ProjectState? StateOf(Project p) => _projects.TryGetValue(p.Name, out var s) && ReferenceEquals(s.Functions.Project, p) ? s : null;

    private void Attach(Project p)
    {
        var state = new ProjectState(FunctionFolder.PathFor(p.StorageDir));
        var context = new FunctionRuntimeContext(p, _log, Limits,
            () => OutboundHttp.For(FunctionStore.AllowHosts(state.Settings)),
            name => FunctionStore.Secret(state.Settings, name))
        {
            LogSink = (level, source, message, data) => WriteLog(p, level, source, message, data),
            Time = _time,
            Push = _push,
            Mailer = _mailer,
        };
        state.Functions = new ProjectFunctions(context, _log);
        _projects[p.Name] = state;
        try
        {
            FunctionStore.EnsureTablesAsync(p, CancellationToken.None).GetAwaiter().GetResult();
            state.TablesReady = true;
            RefreshAsync(state, CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogError(e, "Functions of project {Project} could not be loaded", p.Name);
        }
    }

    /// <summary>
    /// Picks up a new deployed version, a changed folder (when nothing is deployed) or changed settings. One refresh at a
    /// time per project: the background loop and a deploy both refresh, and an unserialized pair could read version N,
    /// let the other load N+1, then load N over it.
    /// </summary>
    internal async Task RefreshAsync(ProjectState s, CancellationToken ct)
    {
        await s.RefreshGate.WaitAsync(ct);
        try
        {
            await RefreshLockedAsync(s, ct);
        }
        finally
        {
            s.RefreshGate.Release();
        }
    }

    private async Task RefreshLockedAsync(ProjectState s, CancellationToken ct)
    {
        var p = s.Functions.Project;
        if (p.IsClosed) return;
        if (!s.TablesReady)
        {
            await FunctionStore.EnsureTablesAsync(p, ct);
            s.TablesReady = true;
        }
        var (version, revision) = await FunctionStore.StateAsync(p, ct);
        if (revision != s.Revision)
        {
            s.Settings = await FunctionStore.LoadSettingsAsync(p, ct);
            s.Revision = revision;
            // The project's limits: a change rebuilds the running set (its engines were built with the old ones).
            var limits = Limits.WithOverrides(FunctionStore.LimitOverrides(s.Settings));
            if (limits != s.Functions.Context.Limits)
            {
                s.Functions.Context.Limits = limits;
                if (s.Functions.Current is { } running) TryLoad(s, [.. running.Files], running.Version);
            }
        }
        if (version > 0)
        {
            if (version == s.DeployedVersion) return;
            s.DeployedVersion = version;
            var files = await FunctionStore.LoadVersionAsync(p, version, ct);
            TryLoad(s, files, "v" + version);
            return;
        }
        s.DeployedVersion = 0;
        var fingerprint = FunctionFolder.Fingerprint(s.Folder);
        if (fingerprint == s.FolderFingerprint) return;
        s.FolderFingerprint = fingerprint;
        List<FunctionFile> folderFiles;
        try
        {
            folderFiles = FunctionFolder.Read(s.Folder, Limits.MaxFileBytes);
        }
        catch (FunctionLoadException e)
        {
            _log.LogError("Functions of project {Project}: {Error}", p.Name, e.Message);
            return;
        }
        catch (IOException)
        {
            s.FolderFingerprint = ""; // a file being written: read again next second
            return;
        }
        TryLoad(s, folderFiles, "folder");
    }

    private static void TryLoad(ProjectState s, IReadOnlyCollection<FunctionFile> files, string version)
    {
        try { s.Functions.Load(files, version); }
        catch (FunctionLoadException) { /* logged; the previous set keeps running */ }
    }

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        if (ctx.ProjectOrNull() is { } p && For(p) is { } functions && await functions.TryHandleAsync(ctx)) return;
        await next(ctx);
    }

    public void MapEndpoints(IEndpointRouteBuilder app)
    {
        Cron.CronsApi.Map(app, this);
        Deploy.FunctionsApi.Map(app, this);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = _time.GetUtcNow().UtcDateTime;
                foreach (var s in _projects.Values)
                {
                    try
                    {
                        await RefreshAsync(s, stoppingToken);
                        await Cron.CronRunner.TickAsync(this, s, now, stoppingToken);
                    }
                    catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        if (!s.Functions.Project.IsClosed) LogRefreshFailed(_log, e, s.Functions.Project.Name);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>A function's log line into the project's logs (level, the function's name, the message and data).</summary>
    private void WriteLog(Project p, string level, string source, string message, string data)
    {
        if (_logQueue is null) return;
        var lvl = level switch { "debug" => LogLevels.Debug, "warn" => LogLevels.Warn, "error" => LogLevels.Error, _ => LogLevels.Info };
        // The function (route, hook or cron job) and the invocation: the dashboard groups one call's lines by it.
        var json = new JsonObject
        {
            ["type"] = "function",
            ["function"] = FunctionSet.CurrentFunction ?? source,
            ["source"] = source,
            ["invocation"] = FunctionSet.CurrentInvocation ?? "",
            ["level"] = level,
        };
        if (data.Length > 0) json["data"] = data;
        _logQueue.TryEnqueue(p, new RequestLogEntry
        {
            Created = _time.GetUtcNow().UtcDateTime,
            Method = "",
            Path = "",
            Status = 0,
            DurationMs = 0,
            AuthKind = "",
            FunctionMessage = message,
            FunctionLevel = lvl,
            FunctionData = json.ToJsonString(),
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Functions refresh failed in project {Project}")]
    private static partial void LogRefreshFailed(ILogger log, Exception e, string project);

    internal sealed class ProjectState(string folder)
    {
        public string Folder { get; } = folder;
        public SemaphoreSlim RefreshGate { get; } = new(1, 1);
        public ProjectFunctions Functions { get; set; } = null!;
        public bool TablesReady { get; set; }
        public long DeployedVersion { get; set; } = -1;
        public string? FolderFingerprint { get; set; }
        public long Revision { get; set; } = -1;
        public IReadOnlyDictionary<string, string> Settings { get; set; } = new Dictionary<string, string>();
        public ConcurrentDictionary<string, Cron.CronJobState> Crons { get; } = new(StringComparer.Ordinal);
    }
}
