namespace PaperGao.GraphQL.Subscriptions;

/// <summary>A minimal hot observable: what is published goes to the current observers; disposing a subscription detaches it.</summary>
public sealed class EventStream : IObservable<object?>
{
    private readonly List<IObserver<object?>> _observers = [];
    private readonly Action? _onEmpty;

    public EventStream(Action? onEmpty = null) => _onEmpty = onEmpty;

    public IDisposable Subscribe(IObserver<object?> observer)
    {
        lock (_observers) _observers.Add(observer);
        return new Unsubscriber(this, observer);
    }

    public void Publish(object? value)
    {
        IObserver<object?>[] current;
        lock (_observers) current = [.. _observers];
        foreach (var o in current) o.OnNext(value);
    }

    public void Complete()
    {
        IObserver<object?>[] current;
        lock (_observers) { current = [.. _observers]; _observers.Clear(); }
        foreach (var o in current) o.OnCompleted();
    }

    private sealed class Unsubscriber(EventStream stream, IObserver<object?> observer) : IDisposable
    {
        public void Dispose()
        {
            bool empty;
            lock (stream._observers) { stream._observers.Remove(observer); empty = stream._observers.Count == 0; }
            if (empty) stream._onEmpty?.Invoke();
        }
    }
}
