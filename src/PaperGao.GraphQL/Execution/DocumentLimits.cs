using GraphQLParser.AST;

namespace PaperGao.GraphQL.Execution;

/// <summary>Counts what the validation rules do not bound: aliases (amplification) across the whole document.</summary>
internal static class DocumentLimits
{
    public static int CountAliases(GraphQLDocument doc)
    {
        var count = 0;
        foreach (var def in doc.Definitions)
        {
            if (def is IHasSelectionSetNode { SelectionSet: { } set }) count += Count(set, 0);
        }
        return count;
    }

    private static int Count(GraphQLSelectionSet set, int depth)
    {
        if (depth > 64) return 0; // the parser's own depth limit stops deeper documents first
        var count = 0;
        foreach (var s in set.Selections)
        {
            if (s is GraphQLField f && f.Alias is not null) count++;
            if (s is IHasSelectionSetNode { SelectionSet: { } inner }) count += Count(inner, depth + 1);
        }
        return count;
    }
}
