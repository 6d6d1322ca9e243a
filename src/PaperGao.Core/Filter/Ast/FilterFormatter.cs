using System.Globalization;
using System.Text;

namespace PaperGao.Core.Filter.Ast;

/// <summary>Writes an AST back as a canonical, fully parenthesized filter string (tests, logs, debugging).</summary>
public static class FilterFormatter
{
    public static string Format(FilterExpr expr)
    {
        var sb = new StringBuilder();
        Write(sb, expr);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, FilterExpr expr)
    {
        switch (expr)
        {
            case AndExpr and: WriteList(sb, and.Items, " && "); break;
            case OrExpr or: WriteList(sb, or.Items, " || "); break;
            case ComparisonExpr c:
                WriteOperand(sb, c.Left);
                sb.Append(' ').Append(c.Op.ToText()).Append(' ');
                WriteOperand(sb, c.Right);
                break;
        }
    }

    private static void WriteList(StringBuilder sb, IReadOnlyList<FilterExpr> items, string sep)
    {
        sb.Append('(');
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) sb.Append(sep);
            Write(sb, items[i]);
        }
        sb.Append(')');
    }

    public static string FormatOperand(Operand operand)
    {
        var sb = new StringBuilder();
        WriteOperand(sb, operand);
        return sb.ToString();
    }

    private static void WriteOperand(StringBuilder sb, Operand operand)
    {
        switch (operand)
        {
            case IdentifierOperand id: sb.Append(id.Name); break;
            case TextOperand t: sb.Append('"').Append(t.Value.Replace("\"", "\\\"", StringComparison.Ordinal)).Append('"'); break;
            case NumberOperand n: sb.Append(n.Value.ToString("R", CultureInfo.InvariantCulture)); break;
            case FunctionOperand f:
                sb.Append(f.Name).Append('(');
                for (var i = 0; i < f.Args.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    WriteOperand(sb, f.Args[i]);
                }
                sb.Append(')');
                break;
        }
    }
}
