using PaperGao.Core.Filter.Ast;

namespace PaperGao.Core.Filter;

/// <summary>Parses "-created,title,+id" (protocol.md §3.9). Special keys: @random, @rowid.</summary>
public static class SortParser
{
    public const string Random = "@random";
    public const string RowId = "@rowid";

    public static IReadOnlyList<SortItem> Parse(string? sort)
    {
        if (string.IsNullOrWhiteSpace(sort)) return [];
        var items = new List<SortItem>();
        var position = 0;
        foreach (var rawPart in sort.Split(','))
        {
            var part = rawPart.Trim(' ', '\t', '\n', '\r');
            var partPos = position;
            position += rawPart.Length + 1;
            if (part.Length == 0) continue;
            var desc = false;
            if (part[0] is '-' or '+')
            {
                desc = part[0] == '-';
                part = part[1..].TrimStart(' ', '\t');
            }
            if (part.Length == 0) throw new FilterException($"invalid sort field at position {partPos}");
            if (part.Length > FilterLimits.MaxSortFieldLength)
                throw new FilterException($"sort field at position {partPos} is too long (max {FilterLimits.MaxSortFieldLength} characters)");
            if (!FilterLexer.IsIdentifier(part))
                throw new FilterException($"invalid sort field '{(part.Length > 40 ? part[..40] : part)}' at position {partPos}");
            items.Add(new SortItem(part, desc));
            if (items.Count > FilterLimits.MaxSortFields)
                throw new FilterException($"too many sort fields (max {FilterLimits.MaxSortFields})");
        }
        return items;
    }
}
