using System.Globalization;

namespace PaperGao.Core.Filter;

/// <summary>The datetime macros of protocol.md §3.5, all UTC.</summary>
internal static class FilterMacros
{
    public const string Layout = "yyyy-MM-dd HH:mm:ss.fff'Z'";

    public static readonly string[] Names =
    [
        "@now", "@yesterday", "@tomorrow", "@todayStart", "@todayEnd", "@monthStart", "@monthEnd", "@yearStart", "@yearEnd",
        "@second", "@minute", "@hour", "@day", "@month", "@weekday", "@year",
    ];

    public static bool IsMacro(string name) => Array.IndexOf(Names, name) >= 0;

    private static Resolved Date(DateTime d) => Resolved.Text(d.ToString(Layout, CultureInfo.InvariantCulture));

    public static bool TryResolve(string name, DateTime now, out Resolved value)
    {
        var today = now.Date;
        var month = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        var endOfDay = TimeSpan.FromDays(1) - TimeSpan.FromMilliseconds(1);
        Resolved? v = name switch
        {
            "@now" => Date(now),
            "@yesterday" => Date(now.AddDays(-1)),
            "@tomorrow" => Date(now.AddDays(1)),
            "@todayStart" => Date(today),
            "@todayEnd" => Date(today + endOfDay),
            "@monthStart" => Date(month),
            "@monthEnd" => Date(month.AddMonths(1).AddMilliseconds(-1)),
            "@yearStart" => Date(new DateTime(now.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
            "@yearEnd" => Date(new DateTime(now.Year + 1, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddMilliseconds(-1)),
            "@second" => Resolved.Number(now.Second),
            "@minute" => Resolved.Number(now.Minute),
            "@hour" => Resolved.Number(now.Hour),
            "@day" => Resolved.Number(now.Day),
            "@month" => Resolved.Number(now.Month),
            "@weekday" => Resolved.Number((int)now.DayOfWeek),
            "@year" => Resolved.Number(now.Year),
            _ => null,
        };
        value = v ?? Resolved.Null;
        return v is not null;
    }
}
