using System.Text.RegularExpressions;

namespace PaperGao.Core.TypeGen;

/// <summary>What the generated file says about where it came from, and the C# namespace.</summary>
public sealed partial record TypeGenOptions
{
    public string Project { get; init; } = "main";

    /// <summary>The namespace of generated C# (a dotted identifier; the generators fall back to the default otherwise).</summary>
    public string Namespace { get; init; } = "PaperGao.Generated";

    public static bool IsValidNamespace(string value) => value.Length <= 200 && NamespacePattern().IsMatch(value);

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$")]
    private static partial Regex NamespacePattern();
}
