using System.Collections.Concurrent;
using Jint.Native;
using PaperGao.Core.Common;

namespace PaperGao.Functions.Engine;

/// <summary>
/// One loaded version of a project's functions: the files, what they registered (the manifest, taken from the first
/// engine), and a bounded pool of engines that each loaded every file. A call takes an engine (or waits, up to the
/// queue deadline, then 503), runs under the call's time budget and gives it back; nested calls (a hook fired by
/// $app.save inside a function) reuse the engine their caller holds.
/// Two bounds: PoolSize calls run JavaScript at once (a slot each), and at most MaxEngines calls hold an engine.
/// A call that waits for host work (e.next() running the write, $app queries, $http.send) gives its slot back
/// while it waits, so waiting calls do not keep other calls out and the writer still sees concurrent writes; the calls
/// known to wait long (a handler with code after e.next(), mailer hooks, cron) run on <see cref="WaitingThreads"/>, so
/// their waits hold none of the .NET pool's threads.
/// </summary>
public sealed class FunctionSet : IDisposable
{
    private static readonly AsyncLocal<Lease?> Current = new();
    private readonly ConcurrentBag<FunctionEngine> _idle = [];
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _leases;
    private readonly FunctionRuntimeContext _context;
    private readonly FunctionLimits _limits;
    private readonly Dictionary<string, FunctionFile> _files;

    private FunctionSet(FunctionRuntimeContext context, Dictionary<string, FunctionFile> files, FunctionEngine first, string version)
    {
        _context = context;
        _limits = first.Limits;
        _files = files;
        Version = version;
        Manifest = first.Registrations;
        _slots = new SemaphoreSlim(_limits.PoolSize, _limits.PoolSize);
        var engines = Math.Max(_limits.MaxEngines, _limits.PoolSize);
        _leases = new SemaphoreSlim(engines, engines);
        _idle.Add(first);
    }

    public string Version { get; }

    /// <summary>The registrations (the first engine's; every engine has the same list in the same order).</summary>
    public IReadOnlyList<Registration> Manifest { get; }

    public IReadOnlyCollection<FunctionFile> Files => _files.Values;

    /// <summary>The limits this set's engines were built with.</summary>
    public FunctionLimits Limits => _limits;

    /// <summary>The invocation the current flow runs in (null outside a function call): every log line of one call carries it.</summary>
    public static string? CurrentInvocation => Current.Value?.Invocation;

    /// <summary>The name of the function the current flow runs (its route, hook or cron job), or null.</summary>
    public static string? CurrentFunction => Current.Value?.Function;

    /// <summary>Loads a set (throws FunctionLoadException with file, line and column for code that does not load).</summary>
    public static FunctionSet Load(FunctionRuntimeContext context, IEnumerable<FunctionFile> files, string version)
    {
        var map = files.ToDictionary(f => f.Name, StringComparer.Ordinal);
        var first = CreateEngine(context, map);
        return new FunctionSet(context, map, first, version);
    }

    private static FunctionEngine CreateEngine(FunctionRuntimeContext context, Dictionary<string, FunctionFile> files)
    {
        return CreateEngine(context, files, context.Limits);
    }

    private static FunctionEngine CreateEngine(FunctionRuntimeContext context, Dictionary<string, FunctionFile> files, FunctionLimits limits)
    {
        var engine = new FunctionEngine(context, files, limits);
        try
        {
            engine.Load(limits.CronTimeout);
        }
        catch (FunctionLoadException)
        {
            throw;
        }
        catch (Exception e)
        {
            var (file, line, column) = FunctionErrors.Where(e, engine.CurrentFile);
            throw new FunctionLoadException(file, line, column, FunctionErrors.Describe(e), e);
        }
        return engine;
    }

    /// <summary>
    /// Runs <paramref name="call"/> with an engine of this set under the time budget; the engine's registration at
    /// <paramref name="index"/> is the handler to call. Exceptions come out as ApiError (logged with file and line).
    /// <paramref name="waits"/>: the call waits while it runs (a handler with code after e.next() runs the rest of the
    /// chain inside it, a mailer hook the send, a cron run its whole job): it runs on a thread of
    /// <see cref="WaitingThreads"/> rather than the caller's pool thread. Nested calls run where their caller runs.
    /// </summary>
    public async Task<T> RunAsync<T>(int index, TimeSpan budget, Func<FunctionEngine, Registration, T> call, CancellationToken ct, bool waits = false)
    {
        if (Current.Value is { } held && held.Set == this)
        {
            return Invoke(held.Engine, index, call, nested: true);
        }
        using var timing = Core.Telemetry.PaperGaoMetrics.TimeFunction(Manifest[index].Kind);
        using var span = Core.Telemetry.PaperGaoTracing.Source.HasListeners()
            ? Core.Telemetry.PaperGaoTracing.StartFunction(Manifest[index].Kind.ToString().ToLowerInvariant(), FunctionErrors.Name(Manifest[index]), _context.Project.Name)
            : null;
        var deadline = DateTime.UtcNow + _limits.QueueTimeout;
        if (!await _leases.WaitAsync(_limits.QueueTimeout, ct))
            throw Busy();
        var left = deadline - DateTime.UtcNow;
        if (!await _slots.WaitAsync(left > TimeSpan.Zero ? left : TimeSpan.Zero, ct))
        {
            _leases.Release();
            throw Busy();
        }
        FunctionEngine? engine = null;
        Lease? lease = null;
        try
        {
            engine = _idle.TryTake(out var e) ? e : CreateEngine(_context, _files, _limits);
            if (engine.Registrations.Count != Manifest.Count)
                throw new ApiError(500, "The functions registered differently in another engine (registration must not depend on state).");
            lease = new Lease(this, engine, Core.Common.RandomString.LowerAlphanumeric(12), FunctionErrors.Name(Manifest[index]));
            var leased = lease;
            return waits
                ? await WaitingThreads.RunAsync(() => RunLeased(leased, index, budget, call, ct))
                : RunLeased(leased, index, budget, call, ct);
        }
        finally
        {
            if (engine is { Broken: false }) _idle.Add(engine);
            if (lease is null || lease.HoldsSlot) _slots.Release();
            _leases.Release();
        }
    }

    /// <summary>The call itself, on the thread that runs it (the engine's limits are measured on that thread).</summary>
    private T RunLeased<T>(Lease lease, int index, TimeSpan budget, Func<FunctionEngine, Registration, T> call, CancellationToken ct)
    {
        lease.Engine.BeginCall(budget, ct);
        Current.Value = lease;
        try
        {
            return Invoke(lease.Engine, index, call, nested: false);
        }
        finally
        {
            Current.Value = null;
            lease.Engine.EndCall();
        }
    }

    private static ApiError Busy() => new(503, "The functions of this project are busy; try again later.");

    /// <summary>
    /// Waits for host work from synchronous JavaScript. The call gives its slot back while it waits and takes one
    /// again before its script continues (its engine stays its own), so a waiting call does not hold others out.
    /// </summary>
    public static void WaitOutside(Task task)
    {
        if (task.IsCompleted || Current.Value is not { HoldsSlot: true } lease)
        {
            task.GetAwaiter().GetResult();
            return;
        }
        lease.HoldsSlot = false;
        lease.Set._slots.Release();
        try
        {
            task.GetAwaiter().GetResult();
        }
        finally
        {
            lease.Set._slots.Wait();
            lease.HoldsSlot = true;
        }
    }

    private T Invoke<T>(FunctionEngine engine, int index, Func<FunctionEngine, Registration, T> call, bool nested)
    {
        var r = engine.Registrations[index];
        try
        {
            return call(engine, r);
        }
        catch (Exception e) when (e is not ApiError)
        {
            if (FunctionErrors.BreaksEngine(e)) engine.Broken = true;
            if (nested && FunctionErrors.BreaksEngine(e)) throw;
            throw FunctionErrors.ToApiError(e, r, _context);
        }
        catch (ApiError e) when (e.Status >= 500)
        {
            _context.Log.LogFunctionError(_context.Project.Name, r.File, 0, e.Message);
            throw;
        }
    }

    /// <summary>True when the caller's flow already holds an engine of this set.</summary>
    public static JsValue Unwrap(JsValue v) => v.UnwrapIfPromise();

    public void Dispose()
    {
        _slots.Dispose();
        _leases.Dispose();
    }

    private sealed class Lease(FunctionSet set, FunctionEngine engine, string invocation, string function)
    {
        public string Invocation { get; } = invocation;
        public string Function { get; } = function;
        public FunctionSet Set { get; } = set;
        public FunctionEngine Engine { get; } = engine;
        public bool HoldsSlot { get; set; } = true;
    }
}
