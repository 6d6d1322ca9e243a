using System.Data.Common;
using PaperGao.Core.Realtime;

namespace PaperGao.Core.Tests.Realtime;

/// <summary>
/// A node shutting down: the fan-out is disposed before the bus (the host disposes in reverse order of creation), so
/// the other nodes' notices still arrive for a moment. They are dropped quietly: the queue is closed, not full (the
/// "Realtime fan-out queue full: a notice was dropped" seen during SIGTERM under load in the cluster bench).
/// </summary>
public sealed class RealtimeFanoutShutdownTests
{
    /// <summary>The bus side a node sees: another node's notices handed to the callback (a test bus; PostgreSQL's is covered by the cluster tests).</summary>
    private sealed class HeardBus : IRealtimeBus
    {
        private Func<string, Task>? _onNotice;

        public bool IsShared => true;

        public void Start(Func<string, Task> onNotice, Action<Exception> onError) => _onNotice = onNotice;

        public Task Hear(string payload) => _onNotice!(payload);

        public Task PublishAsync(string payload, CancellationToken ct = default) => Task.CompletedTask;

        public ValueTask<bool> PublishInTransactionAsync(DbTransaction transaction, string payload, CancellationToken ct = default) => ValueTask.FromResult(false);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    [Fact]
    public async Task Notices_heard_after_the_fanout_closed_are_dropped_without_a_queue_full_error()
    {
        var errors = new List<Exception>();
        var bus = new HeardBus();
        var fanout = new RealtimeFanout(new RealtimeBroker(new RealtimeOptions()), bus, null, ex => { lock (errors) errors.Add(ex); });
        fanout.StartBus(_ => null);
        await bus.Hear("""{"n":"other-node","t":"s","p":"main"}""");

        await fanout.DisposeAsync();
        for (var i = 0; i < 3; i++) await bus.Hear("""{"n":"other-node","t":"r","p":"main","a":"create","c":"x","i":"y"}""");

        lock (errors) Assert.Empty(errors);
    }
}
