namespace PaperGao.Core.TypeGen;

/// <summary>The languages <c>papergao typegen</c> and GET /api/typegen write.</summary>
public enum TypeGenLanguage
{
    TypeScript,
    CSharp,
}

public static class TypeGenLanguages
{
    /// <summary>The accepted spellings of the lang parameter.</summary>
    public const string Accepted = "ts, cs";

    public static bool TryParse(string? value, out TypeGenLanguage language)
    {
        switch (value?.Trim().ToLowerInvariant())
        {
            case "ts" or "typescript": language = TypeGenLanguage.TypeScript; return true;
            case "cs" or "csharp" or "c#": language = TypeGenLanguage.CSharp; return true;
            default: language = TypeGenLanguage.TypeScript; return false;
        }
    }

    /// <summary>Writes the types of <paramref name="collections"/> in <paramref name="language"/>.</summary>
    public static string Generate(TypeGenLanguage language, IReadOnlyList<Collections.Collection> collections, TypeGenOptions options) =>
        language == TypeGenLanguage.CSharp
            ? CSharpTypeGenerator.Generate(collections, options)
            : TypeScriptTypeGenerator.Generate(collections, options);

    public static string ContentType(TypeGenLanguage language) =>
        language == TypeGenLanguage.CSharp ? "text/x-csharp; charset=utf-8" : "application/typescript; charset=utf-8";
}
