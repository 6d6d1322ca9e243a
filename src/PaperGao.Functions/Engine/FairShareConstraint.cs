using System.Diagnostics;

namespace PaperGao.Functions.Engine;

/// <summary>
/// Keeps a long-running call from taking a whole core from the server's other requests: a call runs at full speed
/// for its first <see cref="Grace"/>, then pauses as long as it ran after every <see cref="Slice"/> of running
/// (about half a core). Short calls (routes, hooks) never reach the grace time and are not slowed.
/// </summary>
public sealed class FairShareConstraint : Constraint
{
    public static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan Slice = TimeSpan.FromMilliseconds(4);
    private static readonly long GraceTicks = (long)(Grace.TotalSeconds * Stopwatch.Frequency);
    private static readonly long SliceTicks = (long)(Slice.TotalSeconds * Stopwatch.Frequency);
    private long _start;
    private long _sliceStart;
    private bool _armed;

    /// <summary>A clock, read and never consumed: checking it every N statements only delays the pause.</summary>
    public override bool IsAmortizable => true;

    /// <summary>Starts counting a top-level call (nested calls share it).</summary>
    public void Begin()
    {
        _start = _sliceStart = Stopwatch.GetTimestamp();
        _armed = true;
    }

    public void End() => _armed = false;

    public override void Check()
    {
        if (!_armed) return;
        var now = Stopwatch.GetTimestamp();
        if (now - _start < GraceTicks || now - _sliceStart < SliceTicks) return;
        Thread.Sleep(Slice);
        _sliceStart = Stopwatch.GetTimestamp();
    }

    public override void Reset()
    {
    }
}
