using System.Collections.Concurrent;

namespace PaperGao.Api.RateLimits;

/// <summary>
/// An in-memory fixed-window counter per key (one per project). Memory is bounded: windows that ended are swept
/// periodically, and past <see cref="MaxKeys"/> live keys the table is reset (limits forget rather than grow).
/// </summary>
public sealed class FixedWindowLimiter
{
    public const int MaxKeys = 100_000;
    private const long SweepEveryMs = 30_000;

    private sealed class Window
    {
        public long Start;
        public long DurationMs;
        public int Count;
    }

    private readonly ConcurrentDictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _lastSweep;

    public int Count => _windows.Count;

    /// <summary>Counts one request; false (with the milliseconds until the window ends) when the limit is reached.</summary>
    public bool TryAcquire(string key, int maxRequests, long durationMs, long nowMs, out long retryAfterMs)
    {
        if (nowMs - Volatile.Read(ref _lastSweep) >= SweepEveryMs || _windows.Count >= MaxKeys) Sweep(nowMs);
        var w = _windows.GetOrAdd(key, _ => new Window { Start = nowMs, DurationMs = durationMs });
        lock (w)
        {
            if (nowMs - w.Start >= w.DurationMs || w.DurationMs != durationMs)
            {
                w.Start = nowMs;
                w.DurationMs = durationMs;
                w.Count = 0;
            }
            if (w.Count >= maxRequests)
            {
                retryAfterMs = Math.Max(1, w.Start + w.DurationMs - nowMs);
                return false;
            }
            w.Count++;
            retryAfterMs = 0;
            return true;
        }
    }

    /// <summary>
    /// Gives back one request counted by <see cref="TryAcquire"/> in the window still running (for a request counted in
    /// advance that turned out not to be what the limit is about); nothing once that window has ended.
    /// </summary>
    public void Release(string key, long nowMs)
    {
        if (!_windows.TryGetValue(key, out var w)) return;
        lock (w)
        {
            if (nowMs - w.Start < w.DurationMs && w.Count > 0) w.Count--;
        }
    }

    /// <summary>Drops the windows that have ended (idle keys); resets everything if still over the cap.</summary>
    public void Sweep(long nowMs)
    {
        Volatile.Write(ref _lastSweep, nowMs);
        foreach (var (key, w) in _windows)
        {
            bool ended;
            lock (w) ended = nowMs - w.Start >= w.DurationMs;
            if (ended) _windows.TryRemove(key, out _);
        }
        if (_windows.Count >= MaxKeys) _windows.Clear();
    }
}
