namespace PaperGao.Core.Filter;

/// <summary>Every size limit of the filter language in one place.</summary>
public static class FilterLimits
{
    /// <summary>Maximum length of a filter or rule string (characters).</summary>
    public const int MaxFilterLength = 3500;

    /// <summary>Maximum number of comparison expressions in one filter.</summary>
    public const int MaxExpressions = 200;

    /// <summary>Maximum nesting depth of parenthesized groups.</summary>
    public const int MaxGroupDepth = 50;

    /// <summary>Maximum nesting depth of function calls (a function inside a function ...).</summary>
    public const int MaxFunctionDepth = 3;

    /// <summary>Maximum number of function arguments (strftime takes 1-10).</summary>
    public const int MaxFunctionArgs = 10;

    /// <summary>Maximum number of sort fields.</summary>
    public const int MaxSortFields = 8;

    /// <summary>Maximum length of one sort field.</summary>
    public const int MaxSortFieldLength = 255;

    /// <summary>Maximum number of relation hops in a field path (author.organization.name = 2).</summary>
    public const int MaxRelationDepth = 6;

    /// <summary>Maximum number of % and _ wildcards in a verbatim LIKE pattern (matching cost grows with them).</summary>
    public const int MaxLikeWildcards = 16;

    /// <summary>Number of parsed filters kept in the parse cache.</summary>
    public const int ParseCacheSize = 1000;
}
