using System.Collections;
using System.Text.Json;

namespace PaperGao.Server.Configuration;

/// <summary>
/// Resolves every option from, highest precedence first: the command line, PAPERGAO_* environment variables, the
/// config file (--config or PAPERGAO_CONFIG), the built-in default. Unknown keys and bad values are errors that name them.
/// </summary>
public static class ConfigLoader
{
    /// <summary>PAPERGAO_* variables of this project's own test and build tooling, never read by the server.</summary>
    private static readonly string[] ToolingPrefixes =
        ["PAPERGAO_TEST_", "PAPERGAO_PG_", "PAPERGAO_REQUIRE_", "PAPERGAO_COMPAT_", "PAPERGAO_E2E_", "PAPERGAO_FUZZ_", "PAPERGAO_DB_FLAG"];

    public const string ConfigEnvVar = "PAPERGAO_CONFIG";

    public static (EffectiveConfig Config, List<string> Errors) Load(
        IReadOnlyList<(ServerOption Option, string Value)> commandLine, string? configFile, IDictionary environment)
    {
        var errors = new List<string>();
        configFile ??= environment[ConfigEnvVar] as string;
        if (string.IsNullOrWhiteSpace(configFile)) configFile = null;
        var config = new EffectiveConfig { ConfigFile = configFile is null ? null : Path.GetFullPath(configFile) };
        if (configFile is not null)
            foreach (var (key, value) in ReadFile(configFile, errors))
            {
                var option = OptionCatalog.ByFileKey(key);
                if (option is null) errors.Add($"Unknown key '{key}' in {configFile}.");
                else Accept(option, value, OptionSource.File, $"'{key}' in {configFile}", config, errors);
            }
        foreach (DictionaryEntry e in environment)
        {
            if (e.Key is not string name || !name.StartsWith("PAPERGAO_", StringComparison.Ordinal) || name == ConfigEnvVar) continue;
            if (ToolingPrefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) continue;
            var option = OptionCatalog.ByEnvVar(name);
            if (option is null) errors.Add($"Unknown environment variable {name}.");
            else if (string.IsNullOrWhiteSpace(e.Value as string)) continue; // an empty variable counts as unset
            else Accept(option, e.Value as string ?? "", OptionSource.Environment, name, config, errors);
        }
        foreach (var (option, value) in commandLine)
            Accept(option, value, OptionSource.CommandLine, option.Flag, config, errors);
        return (config, errors);
    }

    private static void Accept(ServerOption option, string value, OptionSource source, string where, EffectiveConfig config, List<string> errors)
    {
        value = value.Trim();
        if (OptionValues.Check(option, value) is { } problem) errors.Add($"{where} {problem} (got '{(option.Secret ? "***" : value)}').");
        else config.Set(option, value, source);
    }

    /// <summary>A JSON object; nested objects give dotted keys (functions.timeoutSeconds), arrays give comma-separated lists.</summary>
    private static List<(string Key, string Value)> ReadFile(string path, List<string> errors)
    {
        var result = new List<(string, string)>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            errors.Add($"Can't read the config file {path}: {ex.Message}");
            return result;
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) errors.Add($"The config file {path} must hold a JSON object.");
            else Flatten(doc.RootElement, "", result, errors, path);
        }
        return result;
    }

    private static void Flatten(JsonElement obj, string prefix, List<(string, string)> into, List<string> errors, string path)
    {
        foreach (var p in obj.EnumerateObject())
        {
            var key = prefix + p.Name;
            switch (p.Value.ValueKind)
            {
                case JsonValueKind.Object: Flatten(p.Value, key + ".", into, errors, path); break;
                case JsonValueKind.String: into.Add((key, p.Value.GetString()!)); break;
                case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: into.Add((key, p.Value.GetRawText())); break;
                case JsonValueKind.Array when p.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String):
                    into.Add((key, string.Join(',', p.Value.EnumerateArray().Select(v => v.GetString())))); break;
                default: errors.Add($"'{key}' in {path} must be a string, a number or a list of strings."); break;
            }
        }
    }
}
