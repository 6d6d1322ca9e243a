using Cronos;
using Jint.Runtime;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Cron;

/// <summary>Cron expressions (5 fields, or macros like @hourly), in UTC, parsed with Cronos.</summary>
public static class CronSchedule
{
    public static CronExpression Parse(string expression)
    {
        var e = expression.Trim();
        if (e.Equals("@every_minute", StringComparison.OrdinalIgnoreCase)) e = "* * * * *";
        return CronExpression.Parse(e, CronFormat.Standard);
    }

    public static void Validate(string expression, FunctionEngine engine)
    {
        try { Parse(expression); }
        catch (CronFormatException e) { throw new JavaScriptException(engine.Js.Intrinsics.TypeError, $"cronAdd: invalid schedule \"{expression}\": {e.Message}"); }
    }

    public static DateTime? Next(string expression, DateTime fromUtc) => Parse(expression).GetNextOccurrence(fromUtc, TimeZoneInfo.Utc);
}
