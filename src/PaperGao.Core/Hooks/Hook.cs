namespace PaperGao.Core.Hooks;

/// <summary>
/// An ordered chain of handlers for one event type. Each handler gets the event and a "next" delegate and
/// decides whether (and when) to continue; the last link is the action itself (the default behaviour).
/// Lower priority runs first. Handlers may be tagged (a collection id or name) to run only for it, and may be
/// conditional (bound with an "active" check, e.g. functions that have a handler for this hook right now).
/// </summary>
public sealed class Hook<TEvent> where TEvent : IHookEvent
{
    private readonly object _gate = new();
    private (int Priority, string? Tag, Func<TEvent, Func<Task>, Task> Handler, Func<bool>? Active, Func<TEvent, bool>? Applies)[] _handlers = [];

    /// <summary>True when a handler would run (callers skip preparing an event nobody reads).</summary>
    public bool HasHandlers
    {
        get
        {
            foreach (var h in Volatile.Read(ref _handlers)) if (h.Active is null || h.Active()) return true;
            return false;
        }
    }

    /// <summary>True when a handler would run for this event (its tag and its "applies" check): callers skip work nobody reads.</summary>
    public bool HasHandlersFor(TEvent e)
    {
        foreach (var h in Volatile.Read(ref _handlers))
        {
            if ((h.Tag is null || e.MatchesTag(h.Tag)) && (h.Active is null || h.Active()) && (h.Applies is null || h.Applies(e))) return true;
        }
        return false;
    }

    public void Bind(Func<TEvent, Func<Task>, Task> handler, int priority = 0, string? tag = null) => Bind(handler, priority, tag, null);

    /// <summary>Binds a handler that runs only while <paramref name="active"/> says so.</summary>
    public void Bind(Func<TEvent, Func<Task>, Task> handler, int priority, string? tag, Func<bool>? active) => Bind(handler, priority, tag, active, null);

    /// <summary>Binds a handler that runs only while <paramref name="active"/> says so and, when given, for events <paramref name="applies"/> accepts.</summary>
    public void Bind(Func<TEvent, Func<Task>, Task> handler, int priority, string? tag, Func<bool>? active, Func<TEvent, bool>? applies)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers.Append((priority, tag, handler, active, applies)).OrderBy(h => h.Item1)];
        }
    }

    /// <summary>Runs the matching handlers in priority order, then the action.</summary>
    public Task TriggerAsync(TEvent e, Func<Task> action) => TriggerCheckedAsync(e, action);

    /// <summary>
    /// Runs the matching handlers in priority order, then the action; true when the chain reached the action
    /// (false: a handler returned without calling next, which stops the operation).
    /// </summary>
    public async Task<bool> TriggerCheckedAsync(TEvent e, Func<Task> action)
    {
        var handlers = Volatile.Read(ref _handlers);
        if (handlers.Length == 0)
        {
            await action();
            return true;
        }
        var matching = handlers.Where(h => (h.Tag is null || e.MatchesTag(h.Tag)) && (h.Active is null || h.Active()) && (h.Applies is null || h.Applies(e))).ToArray();
        var reached = false;
        await Run(0);
        return reached;

        Task Run(int i)
        {
            if (i < matching.Length) return matching[i].Handler(e, () => Run(i + 1));
            reached = true;
            return action();
        }
    }
}

/// <summary>An event a hook carries; tagged handlers run only when the event matches their tag.</summary>
public interface IHookEvent
{
    /// <summary>True when a handler bound with this tag applies (record events: the collection's id or name).</summary>
    bool MatchesTag(string tag);
}
