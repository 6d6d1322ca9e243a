using System.Text.RegularExpressions;

namespace PaperGao.Server.Configuration;

/// <summary>papergao config print: every option, its effective value (secrets masked) and where the value came from.</summary>
public static partial class ConfigPrinter
{
    public static string Print(EffectiveConfig config)
    {
        var lines = new List<string>
        {
            "# Effective PaperGao configuration (precedence: command line > PAPERGAO_* environment > config file > default)",
            "# config file: " + (config.ConfigFile ?? "(none)"),
        };
        var width = OptionCatalog.All.Max(o => o.Name.Length);
        foreach (var option in OptionCatalog.All)
        {
            var value = config[option.Name];
            var shown = value is null ? "(unset)" : option.Secret ? (option.Kind == OptionKind.Token ? "***" : Mask(value)) : value;
            lines.Add($"{option.Name.PadRight(width)} = {shown}  # {Describe(config.SourceOf(option.Name), option)}");
        }
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static string Describe(OptionSource source, ServerOption option) => source switch
    {
        OptionSource.CommandLine => "command line " + option.Flag,
        OptionSource.Environment => "environment " + option.EnvVar,
        OptionSource.File => "config file " + option.FileKey,
        _ => "default",
    };

    /// <summary>Hides passwords in a connection string (key=value or URL form); other secrets are hidden whole.</summary>
    public static string Mask(string value)
    {
        if (UrlPassword().IsMatch(value)) return UrlPassword().Replace(value, "$1:***@");
        if (value.Contains('=', StringComparison.Ordinal)) return KeyValuePassword().Replace(value, "$1=***");
        return "***";
    }

    [GeneratedRegex(@"^([a-z][a-z0-9+.-]*://[^:/@]*):[^@]*@", RegexOptions.IgnoreCase)]
    private static partial Regex UrlPassword();

    [GeneratedRegex(@"(?<=^|;)\s*((?:password|pwd)\s*)=\s*(?:'[^']*'|""[^""]*""|[^;]*)", RegexOptions.IgnoreCase)]
    private static partial Regex KeyValuePassword();
}
