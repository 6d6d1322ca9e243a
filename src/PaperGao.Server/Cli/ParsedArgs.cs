using PaperGao.Server.Configuration;

namespace PaperGao.Server.Cli;

/// <summary>
/// Command, positional arguments and the server options (OptionCatalog) resolved from the command line, PAPERGAO_*
/// environment variables and the config file. Switches that are no server option stay in <see cref="Passthrough"/>
/// for the command (--dry-run, --lang) or, for serve, the web host (--environment=, --Section:Key=).
/// </summary>
public sealed record ParsedArgs(string Command, IReadOnlyList<string> Positionals, string Http, string Dir, string? Db, string Project, IReadOnlyList<string> Passthrough, string? Error)
{
    private static readonly string[] HostSwitches = ["--environment", "--contentRoot", "--applicationName", "--urls"];

    /// <summary>Every option's effective value and source.</summary>
    public EffectiveConfig Config { get; init; } = new();

    private static bool IsSectionHeader(string key, string? inline) =>
        inline is "" && OptionCatalog.All.Any(o => o.LegacyKey is { } k && k.StartsWith(key[2..] + ":", StringComparison.OrdinalIgnoreCase));

    public static ParsedArgs Parse(string[] args) => Parse(args, Environment.GetEnvironmentVariables());

    public static ParsedArgs Parse(string[] args, System.Collections.IDictionary environment)
    {
        var command = "serve";
        var positionals = new List<string>();
        var passthrough = new List<string>();
        var options = new List<(ServerOption, string)>();
        var errors = new List<string>();
        string project = "main";
        string? configFile = null;
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-')) { command = args[0]; i = 1; }
        else if (args.Length > 0 && args[0] is "--help" or "-h") { command = "help"; i = 1; }
        for (; i < args.Length; i++)
        {
            var a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var (key, inline) = a.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (a[..eq], a[(eq + 1)..]) : (a, null);
            if (OptionCatalog.ByFlag(key) is { } option)
            {
                if ((inline ?? Next()) is { } value) options.Add((option, value));
                else errors.Add($"{key} needs a value.");
                continue;
            }
            if (IsSectionHeader(key, inline)) continue; // the web host hands over "--PaperGao=" for the section itself
            if (key.StartsWith("--PaperGao:", StringComparison.OrdinalIgnoreCase))
            {
                if (OptionCatalog.ByLegacyKey(key[2..]) is { } legacy && inline is not null) options.Add((legacy, inline));
                else errors.Add($"Unknown option '{key}'.");
                continue;
            }
            switch (key)
            {
                case "--config":
                    configFile = inline ?? Next();
                    if (string.IsNullOrWhiteSpace(configFile)) errors.Add("--config needs a file.");
                    break;
                case "--project": project = inline ?? Next() ?? ""; break;
                case "--help" or "-h": command = "help"; break;
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal)) passthrough.Add(a);
                    else positionals.Add(a);
                    break;
            }
        }
        var (config, configErrors) = ConfigLoader.Load(options, configFile, environment);
        errors.AddRange(configErrors);
        if (command is "serve" or "config")
            foreach (var p in passthrough)
            {
                var name = p.Split('=', 2)[0];
                if (!(name.Contains(':', StringComparison.Ordinal) || HostSwitches.Contains(name, StringComparer.OrdinalIgnoreCase)))
                    errors.Add($"Unknown option '{name}'.");
            }
        if (command == "serve" && positionals.Count > 0) errors.Add($"Unexpected argument '{positionals[0]}'.");
        var db = config["db"];
        return new ParsedArgs(command, positionals, config["http"]!, config["dir"]!, string.IsNullOrWhiteSpace(db) ? null : db, project, passthrough,
            errors.Count == 0 ? null : string.Join(Environment.NewLine, errors))
        { Config = config };
    }
}
