using System.Globalization;

namespace PaperGao.Server.Configuration;

/// <summary>Checks a raw option value against its kind and reads it; the check's message names what is expected.</summary>
public static class OptionValues
{
    public static string? Check(ServerOption option, string raw) => option.Kind switch
    {
        OptionKind.Text => raw.Length == 0 ? "must not be empty" : null,
        OptionKind.Address => IsAddress(raw) ? null : "must be an address like 127.0.0.1:8090 or http://0.0.0.0:8090",
        OptionKind.PositiveInt => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i > 0 ? null : "must be a whole number above 0",
        OptionKind.PositiveSeconds => Number(raw) is > 0 ? null : "must be a number of seconds above 0",
        OptionKind.SecondsOrOff => Number(raw) is not null ? null : "must be a number of seconds (0 turns it off)",
        OptionKind.Interval => TimeSpan.TryParse(raw, CultureInfo.InvariantCulture, out _) ? null : "must be a duration like 06:00:00 (0 turns it off)",
        OptionKind.List => null,
        OptionKind.LogFormat => raw is "text" or "json" ? null : "must be text or json",
        OptionKind.RealtimeNotify => raw is "transaction" or "after-commit" ? null : "must be transaction or after-commit",
        OptionKind.Token => raw.Length >= 16 && !raw.Any(char.IsWhiteSpace) ? null : "must be at least 16 characters without spaces",
        _ => "has an unknown kind",
    };

    public static double Seconds(string raw) => Number(raw) ?? throw new FormatException(raw);

    public static int Int(string raw) => int.Parse(raw, NumberStyles.None, CultureInfo.InvariantCulture);

    public static TimeSpan Interval(string raw) => TimeSpan.Parse(raw, CultureInfo.InvariantCulture);

    public static string[] List(string raw) => raw.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static double? Number(string raw) =>
        double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v : null;

    private static bool IsAddress(string raw)
    {
        var url = (raw.Contains("://", StringComparison.Ordinal) ? raw : "http://" + raw).Replace("//+:", "//any:", StringComparison.Ordinal).Replace("//*:", "//any:", StringComparison.Ordinal);
        return Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.Port > 0 && u.AbsolutePath == "/" && !raw.EndsWith(':');
    }
}
