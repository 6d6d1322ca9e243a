using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PaperGao.Core.Backups;

/// <summary>Backup file names: PocketBase's rule ^[a-z0-9_-]+\.zip$ (1-150 characters), so a name is always one safe storage key.</summary>
public static partial class BackupNames
{
    public const int MaxLength = 150;

    /// <summary>
    /// The prefix of the backups the schedule makes; only these are removed by its retention. PocketBase writes
    /// "@auto_pb_backup_"; the "@" is left out here so every key, scheduled or not, passes the one name rule.
    /// </summary>
    public const string AutoPrefix = "auto_pb_backup_";

    [GeneratedRegex("^[a-z0-9_-]+\\.zip$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    public static bool IsValid(string? name) => name is { Length: > 0 and <= MaxLength } && Pattern().IsMatch(name);

    /// <summary>"&lt;prefix&gt;&lt;app name in snake case, max 50&gt;_&lt;yyyyMMddHHmmss&gt;.zip", like PocketBase.</summary>
    public static string Generate(string appName, string prefix, DateTimeOffset now)
    {
        var snake = new StringBuilder();
        foreach (var ch in appName.Trim())
        {
            if (char.IsAsciiLetterOrDigit(ch)) snake.Append(char.ToLowerInvariant(ch));
            else if (snake.Length > 0 && snake[^1] != '_') snake.Append('_');
        }
        var app = snake.ToString().Trim('_');
        if (app.Length > 50) app = app[..50];
        if (app.Length == 0) app = "papergao";
        return $"{prefix}{app}_{now.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}.zip";
    }
}
