using System.Text.RegularExpressions;

namespace PaperGao.Core.Projects;

/// <summary>Project names: lowercase letters, digits, '_' and '-', 1-40 chars, starting with a letter. Safe as a folder and schema name.</summary>
public static partial class ProjectNames
{
    public const string Default = "main";

    [GeneratedRegex("^[a-z][a-z0-9_-]{0,39}$")]
    private static partial Regex NameRegex();

    public static bool IsValid(string? name) => name is not null && NameRegex().IsMatch(name);
}
