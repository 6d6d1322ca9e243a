namespace PaperGao.Core.Realtime;

/// <summary>
/// Whether this node is alone on its PostgreSQL bus, so that a record write need not tell anyone (docs/scaling.md,
/// "A node alone sends no record notices"). Alone means: the bus is listening, and no other node has been heard for
/// <see cref="RealtimeLimits.PeerLifetime"/> since this node started, since its bus last listened again, or since the
/// last notice of another node. A write that skips its notice is counted from before the decision until its transaction
/// has ended (<see cref="TryEnterUnannounced"/>, <see cref="LeaveUnannounced"/>); when another node is heard,
/// <see cref="Heard"/> ends the alone state first and <see cref="DrainAsync"/> then waits for those writes, so a node that
/// starts waits for this one's acknowledgement (<see cref="RealtimeRelay.Joined"/>) and misses none of its writes.
/// </summary>
public sealed class ClusterPresence(Func<bool> listening, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private long _lastHeard = (time ?? TimeProvider.System).GetTimestamp();
    private long _unannounced;

    /// <summary>Writes that skipped their notice and have not ended yet.</summary>
    public long Unannounced => Interlocked.Read(ref _unannounced);

    /// <summary>True when no other node can be listening: record notices may be skipped.</summary>
    public bool IsAlone => listening() && _time.GetElapsedTime(Interlocked.Read(ref _lastHeard)) > RealtimeLimits.PeerLifetime;

    /// <summary>Another node spoke (or may have: the bus listens again after a gap). Ends the alone state at once.</summary>
    public void Heard() => Interlocked.Exchange(ref _lastHeard, _time.GetTimestamp());

    /// <summary>
    /// True when the write may skip its notice; it is then counted until <see cref="LeaveUnannounced"/>. The count goes up
    /// before the check and <see cref="Heard"/> writes before <see cref="DrainAsync"/> reads the count (both full fences):
    /// either the write sees that a node was heard, or the drain sees the write.
    /// </summary>
    public bool TryEnterUnannounced()
    {
        Interlocked.Increment(ref _unannounced);
        if (IsAlone) return true;
        Interlocked.Decrement(ref _unannounced);
        return false;
    }

    public void LeaveUnannounced() => Interlocked.Decrement(ref _unannounced);

    /// <summary>Waits (at most <paramref name="limit"/>) until every write that skipped its notice has ended.</summary>
    public async Task<bool> DrainAsync(TimeSpan limit, CancellationToken ct = default)
    {
        // Real time, whatever clock decides who is alone: transactions end in real time.
        var deadline = Environment.TickCount64 + (long)limit.TotalMilliseconds;
        while (Interlocked.Read(ref _unannounced) > 0)
        {
            if (Environment.TickCount64 > deadline) return false;
            await Task.Delay(1, ct);
        }
        return true;
    }
}
