namespace PaperGao.Client;

/// <summary>
/// An <see cref="AuthStore"/> with a persistence hook (like the JS SDK's AsyncAuthStore): every change is handed to
/// <c>save</c> as the JSON of <see cref="AuthStore.ExportToJson"/> ("" after a sign-out unless <c>clear</c> is given),
/// one at a time in order. Pass what was saved before as <c>initial</c> to start signed in.
/// </summary>
public sealed class AsyncAuthStore : AuthStore
{
    private readonly Func<string, Task> _save;
    private readonly Func<Task>? _clear;
    private readonly object _queueGate = new();
    private Task _queue = Task.CompletedTask;

    public AsyncAuthStore(Func<string, Task> save, string? initial = null, Func<Task>? clear = null)
    {
        _save = save ?? throw new ArgumentNullException(nameof(save));
        _clear = clear;
        if (!string.IsNullOrEmpty(initial)) base.LoadFromJson(initial);
    }

    /// <summary>Completes when every change so far has been saved (a failed save faults it).</summary>
    public Task PendingSave { get { lock (_queueGate) return _queue; } }

    public override void Save(string token, System.Text.Json.Nodes.JsonObject? record)
    {
        base.Save(token, record);
        var payload = string.IsNullOrEmpty(token) ? "" : ExportToJson();
        Enqueue(() => payload.Length == 0 && _clear is not null ? _clear() : _save(payload));
    }

    private void Enqueue(Func<Task> work)
    {
        lock (_queueGate) _queue = _queue.ContinueWith(_ => work(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
    }
}
