namespace PaperGao.Core.Logs;

/// <summary>
/// Fixed latency buckets (upper bounds in ms; the last one is open) kept per minute, so the p50/p95 of any minute are
/// computed without keeping every duration. A percentile is reported as the upper bound of the bucket it falls in
/// (the open bucket reports the slowest duration seen that minute), so it is exact to the bucket's resolution.
/// </summary>
public static class LatencyHistogram
{
    public static readonly double[] UpperBounds =
    [
        0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 2000, 5000, 10000, double.PositiveInfinity,
    ];

    public static int Count => UpperBounds.Length;

    public static int BucketOf(double ms)
    {
        for (var i = 0; i < UpperBounds.Length - 1; i++)
        {
            if (ms <= UpperBounds[i]) return i;
        }
        return UpperBounds.Length - 1;
    }

    /// <summary>The duration under which a fraction <paramref name="q"/> (0..1) of the minute's requests finished; 0 without requests.</summary>
    public static double Percentile(IReadOnlyList<long> buckets, double q, double maxMs)
    {
        long total = 0;
        foreach (var b in buckets) total += b;
        if (total == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < buckets.Count; i++)
        {
            seen += buckets[i];
            if (seen >= rank) return double.IsPositiveInfinity(UpperBounds[i]) ? maxMs : Math.Min(UpperBounds[i], maxMs);
        }
        return maxMs;
    }
}
