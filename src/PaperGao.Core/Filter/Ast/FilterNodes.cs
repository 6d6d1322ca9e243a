namespace PaperGao.Core.Filter.Ast;

/// <summary>A boolean node of a parsed filter.</summary>
public abstract record FilterExpr;

/// <summary>Operands joined by &amp;&amp; (all must hold). Always at least two items.</summary>
public sealed record AndExpr(IReadOnlyList<FilterExpr> Items) : FilterExpr;

/// <summary>Operands joined by || (one must hold). Always at least two items.</summary>
public sealed record OrExpr(IReadOnlyList<FilterExpr> Items) : FilterExpr;

/// <summary>One comparison "left OP right".</summary>
public sealed record ComparisonExpr(Operand Left, SignOp Op, Operand Right, int Position) : FilterExpr;

/// <summary>The comparison operators of protocol.md §3.1.</summary>
public enum SignOp
{
    Eq, Neq, Like, NotLike, Lt, Lte, Gt, Gte,
    AnyEq, AnyNeq, AnyLike, AnyNotLike, AnyLt, AnyLte, AnyGt, AnyGte,
}

/// <summary>An operand: identifier, text, number or function call.</summary>
public abstract record Operand(int Position);

/// <summary>A field path, macro or keyword (title, author.name, @request.auth.id, tags:each, @now, null).</summary>
public sealed record IdentifierOperand(string Name, int Position) : Operand(Position);

/// <summary>A quoted string literal (escapes already removed).</summary>
public sealed record TextOperand(string Value, int Position) : Operand(Position);

/// <summary>A number literal.</summary>
public sealed record NumberOperand(double Value, string Raw, int Position) : Operand(Position);

/// <summary>A function call such as geoDistance(...) or strftime(...).</summary>
public sealed record FunctionOperand(string Name, IReadOnlyList<Operand> Args, int Position) : Operand(Position);

/// <summary>One item of a sort expression.</summary>
public sealed record SortItem(string Field, bool Descending);

public static class SignOps
{
    public static string ToText(this SignOp op) => op switch
    {
        SignOp.Eq => "=",
        SignOp.Neq => "!=",
        SignOp.Like => "~",
        SignOp.NotLike => "!~",
        SignOp.Lt => "<",
        SignOp.Lte => "<=",
        SignOp.Gt => ">",
        SignOp.Gte => ">=",
        SignOp.AnyEq => "?=",
        SignOp.AnyNeq => "?!=",
        SignOp.AnyLike => "?~",
        SignOp.AnyNotLike => "?!~",
        SignOp.AnyLt => "?<",
        SignOp.AnyLte => "?<=",
        SignOp.AnyGt => "?>",
        SignOp.AnyGte => "?>=",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    public static bool TryParse(string text, out SignOp op)
    {
        foreach (var candidate in Enum.GetValues<SignOp>())
        {
            if (candidate.ToText() == text) { op = candidate; return true; }
        }
        op = default;
        return false;
    }

    /// <summary>True for the ?-prefixed "any" operators.</summary>
    public static bool IsAny(this SignOp op) => op >= SignOp.AnyEq;

    /// <summary>The operator without its "any" prefix.</summary>
    public static SignOp Base(this SignOp op) => op.IsAny() ? (SignOp)(op - SignOp.AnyEq) : op;
}
