using PaperGao.Core.Common;
using PaperGao.Core.Filter;
using PaperGao.Core.Records;

namespace PaperGao.Core.Rules;

/// <summary>Turns an API rule into a SQL condition: rules are part of the query, never an in-memory check.</summary>
public static class RuleSql
{
    /// <summary>
    /// null = no condition (superuser, or the rule "" that lets everyone through); otherwise a SQL boolean expression.
    /// A locked rule (null) for a non-superuser throws 403 "Only superusers can perform this action.".
    /// </summary>
    public static string? Condition(string? rule, RecordQueryContext ctx)
    {
        if (ctx.Request.IsSuperuser) return null;
        if (rule is null) throw ApiError.SuperusersOnly();
        if (rule.Trim().Length == 0) return null;
        try
        {
            return FilterCompiler.CompileFilter(rule, ctx);
        }
        catch (FilterException)
        {
            // A rule that no longer compiles (e.g. a field was removed) denies: fail closed.
            return ctx.Dialect.BoolLiteral(false) + " = " + ctx.Dialect.BoolLiteral(true);
        }
    }
}
