namespace PaperGao.Core.Hooks;

/// <summary>
/// An ordered chain of handlers for one event type. Each handler gets the event and a "next" delegate and
/// decides whether (and when) to continue; the last link is the action itself (the default behaviour).
/// Lower priority runs first. Handlers may be tagged (e.g. with a collection name) to run only for it.
/// </summary>
public sealed class Hook<TEvent> where TEvent : IHookEvent
{
    private readonly object _gate = new();
    private (int Priority, string? Tag, Func<TEvent, Func<Task>, Task> Handler)[] _handlers = [];

    public bool HasHandlers => Volatile.Read(ref _handlers).Length > 0;

    public void Bind(Func<TEvent, Func<Task>, Task> handler, int priority = 0, string? tag = null)
    {
        lock (_gate)
        {
            _handlers = [.. _handlers.Append((priority, tag, handler)).OrderBy(h => h.Item1)];
        }
    }

    /// <summary>Runs the matching handlers in priority order, then the action.</summary>
    public Task TriggerAsync(TEvent e, Func<Task> action)
    {
        var handlers = Volatile.Read(ref _handlers);
        if (handlers.Length == 0) return action();
        var matching = handlers.Where(h => h.Tag is null || h.Tag == e.Tag).ToArray();
        return Run(0);

        Task Run(int i) => i < matching.Length ? matching[i].Handler(e, () => Run(i + 1)) : action();
    }
}

/// <summary>An event a hook carries; Tag selects tagged handlers (the collection name for record events).</summary>
public interface IHookEvent
{
    string? Tag { get; }
}
