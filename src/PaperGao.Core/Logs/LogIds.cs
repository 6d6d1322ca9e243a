namespace PaperGao.Core.Logs;

/// <summary>
/// Ids of log rows: 15 characters [a-z0-9] like record ids, but cheap and time-ordered: 9 characters of base-36
/// milliseconds since 1970 (enough until the year 5138), then 6 of a per-process counter started at a random value.
/// Log ids are not secrets (only superusers read logs), so no cryptographic randomness is spent on them (that
/// costs several microseconds per id), and ordered ids append to the primary key index instead of splitting it.
/// Unique within a process; a clash between servers sharing one database is skipped by the insert (ON CONFLICT).
/// </summary>
public static class LogIds
{
    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyz";
    private const long CounterSpace = 2_176_782_336; // 36^6
    private static long _counter = Random.Shared.NextInt64(CounterSpace);

    public static string New(DateTime createdUtc)
    {
        var ms = (long)(createdUtc - DateTime.UnixEpoch).TotalMilliseconds;
        var n = Interlocked.Increment(ref _counter) % CounterSpace;
        return string.Create(15, (ms, n), static (span, s) =>
        {
            var (t, c) = s;
            for (var i = 8; i >= 0; i--) { span[i] = Digits[(int)(t % 36)]; t /= 36; }
            for (var i = 14; i >= 9; i--) { span[i] = Digits[(int)(c % 36)]; c /= 36; }
        });
    }
}
