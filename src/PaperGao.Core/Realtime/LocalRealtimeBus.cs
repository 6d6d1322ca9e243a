using System.Data.Common;

namespace PaperGao.Core.Realtime;

/// <summary>One node (the SQLite default): there is nobody to tell.</summary>
public sealed class LocalRealtimeBus : IRealtimeBus
{
    public bool IsShared => false;

    public void Start(Func<string, Task> onNotice, Action<Exception> onError) { }

    public Task PublishAsync(string payload, CancellationToken ct = default) => Task.CompletedTask;

    public ValueTask<bool> PublishInTransactionAsync(DbTransaction transaction, string payload, CancellationToken ct = default) => ValueTask.FromResult(false);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
