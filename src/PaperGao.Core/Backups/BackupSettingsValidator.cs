using System.Text.Json.Nodes;
using Cronos;
using PaperGao.Core.Common;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Backups;

/// <summary>
/// Checks the "backups" settings section as PocketBase does: "cron" must parse (5 fields or a macro such as "@daily"),
/// "cronMaxKeep" is required (at least 1) when a cron is set and never negative, and "s3" follows the s3 section's rules.
/// </summary>
public static class BackupSettingsValidator
{
    public const int MaxCronLength = 200;

    public static ErrorData Validate(JsonObject backups)
    {
        var e = new ErrorData();
        var cron = "";
        if (backups["cron"] is JsonValue v && v.TryGetValue<string>(out var s)) cron = s.Trim();
        else if (backups["cron"] is not null) e.Add("cron", new FieldError("validation_invalid_cron", "Must be a cron expression (text)."));
        if (cron.Length > MaxCronLength) e.Add("cron", new FieldError("validation_length_too_long", $"Must be no more than {MaxCronLength} characters."));
        else if (cron.Length > 0 && !CronExpression.TryParse(cron, CronFormat.Standard, out _))
            e.Add("cron", new FieldError("validation_invalid_cron", "Must be a valid cron expression: 5 fields (minute hour day-of-month month day-of-week, UTC) or a macro such as @daily."));

        var keepNode = backups["cronMaxKeep"];
        long keep = 0;
        if (keepNode is JsonValue k && k.TryGetValue<double>(out var d) && d == Math.Floor(d) && Math.Abs(d) < 1e9) keep = (long)d;
        else if (keepNode is not null) e.Add("cronMaxKeep", new FieldError("validation_invalid_value", "Must be a whole number."));
        if (keep < 0) e.Add("cronMaxKeep", new FieldError("validation_min_greater_equal_than_required", "Must be no less than 1."));
        else if (keep == 0 && cron.Length > 0 && !e.Contains("cron")) e.Add("cronMaxKeep", FieldError.Required());

        if (backups["s3"] is JsonObject s3)
        {
            // The same rules as the project's s3 section (SettingsValidator), applied to a copy.
            var probe = new JsonObject { ["s3"] = s3.DeepClone() };
            var nested = new ErrorData();
            SettingsValidator.Validate(probe, probe, nested);
            if (nested["s3"] is ErrorData s3Errors) e.Add("s3", s3Errors);
        }
        return e;
    }
}
