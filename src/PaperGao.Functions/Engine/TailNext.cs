using Acornima;
using Acornima.Ast;

namespace PaperGao.Functions.Engine;

/// <summary>
/// Decides from a hook handler's source whether it calls <c>e.next()</c> only as its last act (tail position: the
/// arrow's body, the last statement, or a <c>return e.next()</c>, never inside try) and lets the event reach nothing
/// else that could call it. Such a handler cannot observe the rest of the chain, so the host can run it to its end,
/// give its engine back, and then run the rest (the write) without blocking a thread on it (docs/functions.md,
/// "Performance"). Anything it cannot prove (e passed on or stored, `arguments`, `eval`, a shadowing `e`) is false:
/// the handler then runs the rest of the chain inside e.next(), as PocketBase does.
/// </summary>
public static class TailNext
{
    public static bool Check(string source)
    {
        Expression expr;
        try
        {
            expr = new Parser().ParseExpression(source);
        }
        catch (ParseErrorException)
        {
            return false;
        }
        if (expr is not IFunction fn || fn.Generator || fn.Params.Count != 1 || fn.Params[0] is not Identifier p) return false;
        var allowed = new HashSet<Node>();
        if (fn.Body is Expression body) AddTail(body, p.Name, allowed);
        else if (fn.Body is FunctionBody block)
        {
            AddTailStatements(block.Body, p.Name, allowed);
            AddReturns(block, p.Name, allowed);
        }
        else return false;
        return References((Node)fn.Body, null, p.Name, allowed);
    }

    private static bool IsNextCall(Node? n, string p, out CallExpression? call)
    {
        call = null;
        if (n is AwaitExpression a) n = a.Argument;
        if (n is CallExpression { Callee: MemberExpression { Computed: false, Object: Identifier o, Property: Identifier { Name: "next" } } } c && o.Name == p)
        {
            call = c;
            return true;
        }
        return false;
    }

    private static void AddTail(Node? n, string p, HashSet<Node> allowed)
    {
        if (IsNextCall(n, p, out var call)) allowed.Add(call!);
    }

    private static void AddTailStatements(IReadOnlyList<Statement> list, string p, HashSet<Node> allowed)
    {
        if (list.Count > 0) AddTailStatement(list[^1], p, allowed);
    }

    private static void AddTailStatement(Statement s, string p, HashSet<Node> allowed)
    {
        switch (s)
        {
            case ExpressionStatement e: AddTail(e.Expression, p, allowed); break;
            case ReturnStatement r: AddTail(r.Argument, p, allowed); break;
            case BlockStatement b: AddTailStatements(b.Body, p, allowed); break;
            case IfStatement i:
                AddTailStatement(i.Consequent, p, allowed);
                if (i.Alternate is not null) AddTailStatement(i.Alternate, p, allowed);
                break;
        }
    }

    /// <summary>`return e.next()` leaves the handler wherever it stands, except inside try (a catch would see the error).</summary>
    private static void AddReturns(Node n, string p, HashSet<Node> allowed)
    {
        foreach (var child in n.ChildNodes)
        {
            if (child is IFunction or TryStatement) continue;
            if (child is ReturnStatement r) AddTail(r.Argument, p, allowed);
            AddReturns(child, p, allowed);
        }
    }

    /// <summary>True when every use of the event is `p.name` (not next) or an allowed tail `p.next()`.</summary>
    private static bool References(Node n, Node? parent, string p, HashSet<Node> allowed)
    {
        switch (n)
        {
            case Identifier { Name: "arguments" or "eval" }:
                return false;
            case WithStatement:
                return false;
            case Identifier id when id.Name == p:
                if (parent is not MemberExpression { Computed: false } m || !ReferenceEquals(m.Object, id)) return false;
                if (m.Property is Identifier { Name: "next" }) return false; // allowed calls are handled at the call
                return true;
            case CallExpression c when allowed.Contains(c):
                return c.Arguments.All(a => References(a, c, p, allowed));
            case MemberExpression { Computed: false } member when member.Property is Identifier:
                // the property name is not a reference
                return References(member.Object, member, p, allowed);
        }
        foreach (var child in n.ChildNodes)
        {
            if (!References(child, n, p, allowed)) return false;
        }
        return true;
    }
}
