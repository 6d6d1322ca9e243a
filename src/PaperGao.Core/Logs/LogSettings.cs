using System.Text.Json.Nodes;

namespace PaperGao.Core.Logs;

/// <summary>
/// The typed view of settings.logs (protocol.md §8, PocketBase's names): <see cref="MaxDays"/> days of retention
/// (0 = request logs are not stored), <see cref="MinLevel"/> the lowest level stored, <see cref="LogIp"/> whether the
/// client IPs are kept, <see cref="LogAuthId"/> whether the caller's record or key id is kept.
/// </summary>
public sealed record LogSettings(int MaxDays, int MinLevel, bool LogIp, bool LogAuthId)
{
    public static readonly LogSettings Default = new(5, 0, true, false);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Settings.ProjectSettings, LogSettings> Parsed = new();

    /// <summary>The log settings of a settings snapshot, parsed once per snapshot.</summary>
    public static LogSettings Of(Settings.ProjectSettings settings) => Parsed.GetValue(settings, s => From(s.Extra));

    public static LogSettings From(JsonObject extra)
    {
        if (extra["logs"] is not JsonObject logs) return Default;
        return new LogSettings(
            Int(logs["maxDays"], Default.MaxDays),
            Int(logs["minLevel"], Default.MinLevel),
            Bool(logs["logIP"], Default.LogIp),
            Bool(logs["logAuthId"], Default.LogAuthId));
    }

    private static int Int(JsonNode? n, int fallback) =>
        n is JsonValue v && v.TryGetValue<double>(out var d) && double.IsFinite(d) ? (int)Math.Clamp(d, int.MinValue, int.MaxValue) : fallback;

    private static bool Bool(JsonNode? n, bool fallback) => n is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;
}
