namespace PaperGao.Core.Filter;

/// <summary>The scalar domains the filter compiler compares in (see ISqlDialect.JsonExtractAs).</summary>
public enum FilterValueType
{
    Text,
    Number,
    Bool,
}
