using System.Text.Json.Nodes;
using Jint.Native;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Projects;
using PaperGao.Functions.Engine;
using PaperGao.Functions.Js;
using PaperGao.Functions.Routing;

namespace PaperGao.Functions;

/// <summary>
/// The functions of one project: the loaded set (swapped whole on reload; calls in flight finish on the set they
/// started with), the routes, and one dispatcher bound to each record hook point that runs the set's JavaScript
/// handlers for the event's collection in registration order.
/// </summary>
public sealed class ProjectFunctions : IDisposable
{
    private readonly FunctionRuntimeContext _context;
    private readonly ILogger _log;
    private Loaded? _loaded;

    public ProjectFunctions(FunctionRuntimeContext context, ILogger log)
    {
        _context = context;
        _log = log;
        BindHooks(context.Project);
        context.Project.CollectionsChanged += BindTags;
    }

    /// <summary>A tag naming a collection created after the files loaded is bound to its id once it exists.</summary>
    private void BindTags(Project p) => Volatile.Read(ref _loaded)?.BindTags(p);

    public Project Project => _context.Project;
    public FunctionRuntimeContext Context => _context;

    /// <summary>The running set (null: no functions).</summary>
    public FunctionSet? Current => Volatile.Read(ref _loaded)?.Set;

    /// <summary>The last load error (the previous version keeps serving), or null.</summary>
    public FunctionLoadException? LastError { get; private set; }

    /// <summary>When the running set was loaded (the runtime's clock): a cron job's first tick is the first one after it.</summary>
    public DateTime LoadedAt => Volatile.Read(ref _loaded)?.At ?? DateTime.MinValue;

    /// <summary>Cron jobs of the running set (index into the manifest).</summary>
    public IReadOnlyList<(int Index, Registration Job)> CronJobs => Volatile.Read(ref _loaded)?.Crons ?? [];

    /// <summary>Loads the files as the new running set; on an error the running set stays and the error is thrown.</summary>
    public FunctionSet? Load(IReadOnlyCollection<FunctionFile> files, string version)
    {
        if (files.Count == 0)
        {
            Swap(null);
            LastError = null;
            return null;
        }
        try
        {
            var set = FunctionSet.Load(_context, files, version);
            Swap(set);
            LastError = null;
            _log.LogInformation("Functions of project {Project} loaded (version {Version}: {Files} files, {Count} registrations)", Project.Name, version, files.Count, set.Manifest.Count);
            return set;
        }
        catch (FunctionLoadException e)
        {
            LastError = e;
            _log.LogError("Functions of project {Project} did not load, the previous version keeps running: {Error}", Project.Name, e.Message);
            throw;
        }
    }

    private void Swap(FunctionSet? set)
    {
        var loaded = set is null ? null : new Loaded(set, Project) { At = _context.Time.GetUtcNow().UtcDateTime };
        Interlocked.Exchange(ref _loaded, loaded);
    }

    /// <summary>Serves the request when a routerAdd route matches it; false lets the built-in endpoints have it.</summary>
    public async Task<bool> TryHandleAsync(HttpContext ctx)
    {
        var loaded = Volatile.Read(ref _loaded);
        if (loaded is null || loaded.Routes.Count == 0) return false;
        var path = ctx.Request.Path.Value ?? "/";
        var method = ctx.Request.Method;
        foreach (var route in loaded.Routes)
        {
            var r = loaded.Set.Manifest[route.Index];
            if (r.Key != "*" && r.Key != method && !(r.Key == "GET" && HttpMethods.IsHead(method))) continue;
            if (!route.Pattern.TryMatch(path, out var values)) continue;
            await RunRouteAsync(ctx, loaded, route.Index, values);
            return true;
        }
        return false;
    }

    private async Task RunRouteAsync(HttpContext ctx, Loaded loaded, int index, Dictionary<string, string> values)
    {
        HandlerResponse.Clear(ctx);
        await loaded.Set.RunAsync(index, _context.Limits.RequestTimeout, (engine, route) =>
        {
            var e = new JsRequestEvent(engine, ctx, values, null);
            // routerUse middlewares, then the route's own, then the handler; each continues with e.next().
            var chain = loaded.Middlewares.Select(i => engine.Registrations[i].Handler).Concat(route.Middlewares).Append(route.Handler).ToArray();
            var position = -1;
            JsValue Step()
            {
                position++;
                if (position >= chain.Length) return JsValue.Undefined;
                return engine.Js.Invoke(chain[position], JsValue.Undefined, [JsValue.FromObject(engine.Js, e)]).UnwrapIfPromise();
            }
            e.NextAction = Step;
            Step();
            return true;
        }, ctx.RequestAborted);
        if (!await HandlerResponse.TryWriteAsync(ctx) && !ctx.Response.HasStarted)
            ctx.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    /// <summary>Runs a cron job now (the scheduler's tick, or POST /api/crons/{id}).</summary>
    public Task RunCronAsync(FunctionSet set, int index, CancellationToken ct) =>
        set.RunAsync(index, _context.Limits.CronTimeout, (engine, job) =>
        {
            engine.Js.Invoke(job.Handler, JsValue.Undefined, []).UnwrapIfPromise();
            return true;
        }, ct, waits: true);

    private void BindHooks(Project p)
    {
        var h = p.Hooks;
        Bind(h.BeforeCreate, "onRecordCreate");
        Bind(h.BeforeUpdate, "onRecordUpdate");
        Bind(h.BeforeDelete, "onRecordDelete");
        Bind(h.AfterCreate, "onRecordAfterCreateSuccess");
        Bind(h.AfterUpdate, "onRecordAfterUpdateSuccess");
        Bind(h.AfterDelete, "onRecordAfterDeleteSuccess");
        Bind(h.AfterCreateError, "onRecordAfterCreateError");
        Bind(h.AfterUpdateError, "onRecordAfterUpdateError");
        Bind(h.AfterDeleteError, "onRecordAfterDeleteError");
        BindRequest(h.CreateRequest, "onRecordCreateRequest");
        BindRequest(h.UpdateRequest, "onRecordUpdateRequest");
        BindRequest(h.DeleteRequest, "onRecordDeleteRequest");
        BindRequest(h.ViewRequest, "onRecordViewRequest");
        BindRequest(h.ListRequest, "onRecordsListRequest");
        BindRequest(h.AuthRequest, "onRecordAuthRequest");
        BindRequest(h.AuthWithPasswordRequest, "onRecordAuthWithPasswordRequest");
        BindEnrich(h.Enrich);
        BindMailer(h.MailerSend, _ => "onMailerSend");
        BindMailer(h.MailerRecordSend, MailerHookName);
    }

    private static string MailerHookName(MailerEvent e) => e.Kind switch
    {
        MailerEvent.PasswordReset => "onMailerRecordPasswordResetSend",
        MailerEvent.Verification => "onMailerRecordVerificationSend",
        MailerEvent.EmailChange => "onMailerRecordEmailChangeSend",
        MailerEvent.Otp => "onMailerRecordOTPSend",
        MailerEvent.AuthAlert => "onMailerRecordAuthAlertSend",
        _ => "",
    };

    private static readonly string[] MailerRecordHooks =
        ["onMailerRecordPasswordResetSend", "onMailerRecordVerificationSend", "onMailerRecordEmailChangeSend", "onMailerRecordOTPSend", "onMailerRecordAuthAlertSend"];

    private void BindMailer(Hook<MailerEvent> hook, Func<MailerEvent, string> name) =>
        hook.Bind((e, next) =>
        {
            var loaded = Volatile.Read(ref _loaded);
            var handlers = loaded?.HandlersFor(name(e), e);
            if (handlers is null || handlers.Count == 0) return next();
            return RunMailerChainAsync(loaded!.Set, handlers, 0, e, next);
        }, 0, null, () => ReferenceEquals(hook, _context.Project.Hooks.MailerSend) ? Has("onMailerSend") : MailerRecordHooks.Any(Has));

    /// <summary>Mailer hooks run off the request path (the mail is sent in the background): e.next() waits for the send.</summary>
    private Task RunMailerChainAsync(FunctionSet set, IReadOnlyList<int> handlers, int i, MailerEvent e, Func<Task> next)
    {
        if (i >= handlers.Count) return next();
        return set.RunAsync(handlers[i], _context.Limits.RequestTimeout, (engine, r) =>
        {
            var je = new JsMailerEvent(engine, e)
            {
                NextAction = () =>
                {
                    FunctionCall.Wait(RunMailerChainAsync(set, handlers, i + 1, e, next));
                    return JsValue.Undefined;
                },
            };
            engine.Js.Invoke(r.Handler, JsValue.Undefined, [JsValue.FromObject(engine.Js, je)]).UnwrapIfPromise();
            return true;
        }, CancellationToken.None, waits: true);
    }

    private bool Has(string name) => Volatile.Read(ref _loaded)?.Has(name) == true;

    private const string EnrichHook = "onRecordEnrich";

    private void BindEnrich(Hook<RecordEnrichEvent> hook) =>
        hook.Bind((e, next) =>
        {
            var loaded = Volatile.Read(ref _loaded);
            var handlers = loaded?.HandlersFor(EnrichHook, e);
            if (handlers is null || handlers.Count == 0) return next();
            return RunEnrichAsync(loaded!.Set, handlers, e, next);
        }, 0, null, () => Has(EnrichHook), e => Volatile.Read(ref _loaded)?.HasFor(EnrichHook, e) == true);

    /// <summary>
    /// Every record of the event through the handler chain, in one engine call (a list costs one lease, not one per
    /// record); answers made inside a write transaction (batch, GraphQL mutation) let $app read through it.
    /// </summary>
    private async Task RunEnrichAsync(FunctionSet set, IReadOnlyList<int> handlers, RecordEnrichEvent e, Func<Task> next)
    {
        await set.RunAsync(handlers[0], _context.Limits.RequestTimeout, (engine, _) => FunctionCall.WithScope(e.Scope, () =>
        {
            var batch = new JsRecordEnrichEvent.Batch(engine, e, handlers);
            foreach (var record in e.Records) new JsRecordEnrichEvent(batch, record).Step();
            return true;
        }), CancellationToken.None);
        await next();
    }

    private void Bind(Hook<RecordEvent> hook, string name) =>
        hook.Bind((e, next) =>
        {
            var loaded = Volatile.Read(ref _loaded);
            var handlers = loaded?.HandlersFor(name, e);
            if (handlers is null || handlers.Count == 0) return next();
            return RunRecordChainAsync(loaded!.Set, handlers, 0, e, next);
        }, 0, null, () => Has(name));

    private Task RunRecordChainAsync(FunctionSet set, IReadOnlyList<int> handlers, int i, RecordEvent e, Func<Task> next)
    {
        if (i >= handlers.Count) return next();
        if (set.Manifest[handlers[i]].NextInTail) return RunRecordTailAsync(set, handlers, i, e, next);
        return set.RunAsync(handlers[i], _context.Limits.RequestTimeout, (engine, r) => FunctionCall.WithScope(e.Scope, () =>
        {
            JsRecordEvent? je = null;
            je = new JsRecordEvent(engine, e)
            {
                NextAction = () =>
                {
                    je!.Record.Freeze(); // original() keeps the state before the write changes the record
                    FunctionCall.Wait(RunRecordChainAsync(set, handlers, i + 1, e, next));
                    return JsValue.Undefined;
                },
            };
            engine.Js.Invoke(r.Handler, JsValue.Undefined, [JsValue.FromObject(engine.Js, je)]).UnwrapIfPromise();
            return true;
        }), CancellationToken.None, waits: true);
    }

    /// <summary>A handler that calls e.next() only last: it runs to its end, gives its engine back, then the chain goes on.</summary>
    private async Task RunRecordTailAsync(FunctionSet set, IReadOnlyList<int> handlers, int i, RecordEvent e, Func<Task> next)
    {
        var requested = await set.RunAsync(handlers[i], _context.Limits.RequestTimeout, (engine, r) => FunctionCall.WithScope(e.Scope, () =>
        {
            var called = false;
            var je = new JsRecordEvent(engine, e) { NextAction = () => { called = true; return JsValue.Undefined; } };
            engine.Js.Invoke(r.Handler, JsValue.Undefined, [JsValue.FromObject(engine.Js, je)]).UnwrapIfPromise();
            return called;
        }), CancellationToken.None);
        if (requested) await RunRecordChainAsync(set, handlers, i + 1, e, next);
    }

    private void BindRequest(Hook<RecordRequestEvent> hook, string name) =>
        hook.Bind((e, next) =>
        {
            var loaded = Volatile.Read(ref _loaded);
            var handlers = loaded?.HandlersFor(name, e);
            if (handlers is null || handlers.Count == 0 || e.Transport is not HttpContext ctx) return next();
            return RunRequestChainAsync(loaded!.Set, handlers, 0, e, ctx, next);
        }, 0, null, () => Has(name));

    private Task RunRequestChainAsync(FunctionSet set, IReadOnlyList<int> handlers, int i, RecordRequestEvent e, HttpContext ctx, Func<Task> next)
    {
        if (i >= handlers.Count) return next();
        if (set.Manifest[handlers[i]].NextInTail) return RunRequestTailAsync(set, handlers, i, e, ctx, next);
        return set.RunAsync(handlers[i], _context.Limits.RequestTimeout, (engine, r) =>
        {
            JsRecordRequestEvent? je = null;
            je = new JsRecordRequestEvent(engine, e, ctx)
            {
                NextAction = () =>
                {
                    je!.Record?.Freeze();
                    FunctionCall.Wait(RunRequestChainAsync(set, handlers, i + 1, e, ctx, next));
                    return JsValue.Undefined;
                },
            };
            engine.Js.Invoke(r.Handler, JsValue.Undefined, [JsValue.FromObject(engine.Js, je)]).UnwrapIfPromise();
            return true;
        }, ctx.RequestAborted, waits: true);
    }

    private async Task RunRequestTailAsync(FunctionSet set, IReadOnlyList<int> handlers, int i, RecordRequestEvent e, HttpContext ctx, Func<Task> next)
    {
        var requested = await set.RunAsync(handlers[i], _context.Limits.RequestTimeout, (engine, r) =>
        {
            var called = false;
            var je = new JsRecordRequestEvent(engine, e, ctx) { NextAction = () => { called = true; return JsValue.Undefined; } };
            engine.Js.Invoke(r.Handler, JsValue.Undefined, [JsValue.FromObject(engine.Js, je)]).UnwrapIfPromise();
            return called;
        }, ctx.RequestAborted);
        if (requested) await RunRequestChainAsync(set, handlers, i + 1, e, ctx, next);
    }

    public void Dispose()
    {
        _context.Project.CollectionsChanged -= BindTags;
        Swap(null);
    }

    /// <summary>A loaded set with its routes sorted by specificity and its hooks indexed by name.</summary>
    private sealed class Loaded
    {
        public Loaded(FunctionSet set, Project project)
        {
            Set = set;
            var manifest = set.Manifest;
            Routes = [.. manifest.Select((r, i) => (r, i)).Where(x => x.r.Kind == RegistrationKind.Route)
                .Select(x => new Route(x.i, new RoutePattern(x.r.Path)))
                .OrderByDescending(r => r.Pattern.Specificity).ThenBy(r => r.Index)];
            Middlewares = [.. manifest.Select((r, i) => (r, i)).Where(x => x.r.Kind == RegistrationKind.Middleware).Select(x => x.i)];
            Crons = [.. manifest.Select((r, i) => (i, r)).Where(x => x.r.Kind == RegistrationKind.Cron)];
            foreach (var (r, i) in manifest.Select((r, i) => (r, i)).Where(x => x.r.Kind == RegistrationKind.Hook))
            {
                if (!_hooks.TryGetValue(r.Key, out var list)) _hooks[r.Key] = list = [];
                list.Add((i, [.. r.Tags]));
            }
            BindTags(project);
        }

        /// <summary>Tags bind by collection id when the collection exists, so a rename keeps the hook attached.</summary>
        public void BindTags(Project project)
        {
            foreach (var list in _hooks.Values)
            {
                foreach (var (_, tags) in list)
                {
                    for (var t = 0; t < tags.Length; t++)
                    {
                        if (project.Collections.Find(tags[t]) is { } c && c.Id != tags[t]) tags[t] = c.Id;
                    }
                }
            }
        }

        private readonly Dictionary<string, List<(int Index, string[] Tags)>> _hooks = new(StringComparer.Ordinal);

        public FunctionSet Set { get; }
        public DateTime At { get; init; }
        public List<Route> Routes { get; }
        public List<int> Middlewares { get; }
        public List<(int Index, Registration Job)> Crons { get; }

        public bool Has(string hook) => _hooks.ContainsKey(hook);

        /// <summary>True when a handler of the hook is bound to the event's collection (or to every collection).</summary>
        public bool HasFor(string hook, IHookEvent e)
        {
            if (!_hooks.TryGetValue(hook, out var list)) return false;
            foreach (var (_, tags) in list)
            {
                if (tags.Length == 0) return true;
                foreach (var t in tags) if (e.MatchesTag(t)) return true;
            }
            return false;
        }

        public List<int>? HandlersFor(string hook, IHookEvent e) =>
            _hooks.TryGetValue(hook, out var list) ? [.. list.Where(h => h.Tags.Length == 0 || h.Tags.Any(e.MatchesTag)).Select(h => h.Index)] : null;
    }

    private sealed record Route(int Index, RoutePattern Pattern);
}
