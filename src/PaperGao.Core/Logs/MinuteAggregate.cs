namespace PaperGao.Core.Logs;

/// <summary>The requests of one minute, added up on the background writer before they are merged into "_logMinutes".</summary>
public sealed class MinuteAggregate(string minute)
{
    /// <summary>The minute in the storage layout ("YYYY-MM-DD HH:MM:00.000Z").</summary>
    public string Minute { get; } = minute;
    public long Total { get; private set; }
    /// <summary>5xx answers.</summary>
    public long Errors { get; private set; }
    /// <summary>4xx answers.</summary>
    public long ClientErrors { get; private set; }
    public double DurationSum { get; private set; }
    public double MaxMs { get; private set; }
    public long[] Buckets { get; } = new long[LatencyHistogram.Count];

    public static string MinuteOf(DateTime utc) =>
        new DateTime(utc.Year, utc.Month, utc.Day, utc.Hour, utc.Minute, 0, DateTimeKind.Utc).ToString(Common.DateTimes.Layout, System.Globalization.CultureInfo.InvariantCulture);

    public void Add(int status, double ms)
    {
        Total++;
        if (status >= 500) Errors++;
        else if (status >= 400) ClientErrors++;
        DurationSum += ms;
        if (ms > MaxMs) MaxMs = ms;
        Buckets[LatencyHistogram.BucketOf(ms)]++;
    }
}
