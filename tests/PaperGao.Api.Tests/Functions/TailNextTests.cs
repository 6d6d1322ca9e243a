using PaperGao.Functions.Engine;

namespace PaperGao.Api.Tests.Functions;

/// <summary>Which handlers may run the rest of the chain after they return (TailNext) and which must run it inside e.next().</summary>
public sealed class TailNextTests
{
    [Theory]
    [InlineData("(e) => e.next()")]
    [InlineData("e => { e.next() }")]
    [InlineData("(e) => { if (e.record.get(\"title\") === \"spam\") throw new BadRequestError(\"No spam.\"); e.next() }")]
    [InlineData("function (e) { e.record.set(\"views\", 7); return e.next() }")]
    [InlineData("(e) => { if (e.record.get(\"x\")) { return e.next() } else { e.next() } }")]
    [InlineData("(e) => { if (e.record.get(\"x\")) return; e.next() }")]
    [InlineData("(e) => { for (const x of [1, 2]) { if (x === 2) return e.next() } }")]
    [InlineData("async (e) => { await Promise.resolve(1); await e.next() }")]
    [InlineData("(e) => { const r = e.record; r.set(\"n\", $app.findRecordById(\"posts\", r.id).get(\"n\")); e.next() }")]
    [InlineData("(e) => { [1].forEach(x => e.record.set(\"n\", x)); e.next() }")]
    public void A_handler_that_calls_next_last_runs_the_rest_after_it_returns(string code) =>
        Assert.True(TailNext.Check(SourceOf(code)), code);

    [Theory]
    [InlineData("(e) => { e.next(); console.log(e.record.id) }")]
    [InlineData("(e) => { try { e.next() } catch (err) { console.log(err) } }")]
    [InlineData("(e) => { try { return e.next() } finally { console.log(1) } }")]
    [InlineData("(e) => { helper(e) }")]
    [InlineData("(e) => { const x = e; x.next() }")]
    [InlineData("(e) => { e[\"next\"]() }")]
    [InlineData("(e) => { const n = e.next; n() }")]
    [InlineData("(e) => { setTimeout(() => e.next()) }")]
    [InlineData("(e) => { arguments[0].next() }")]
    [InlineData("(e) => { eval(\"e.next()\") }")]
    [InlineData("(e) => { [1].forEach(e => e.next()) }")]
    [InlineData("(e) => { while (true) { e.next() } }")]
    [InlineData("(e, f) => e.next()")]
    [InlineData("({ next }) => next()")]
    [InlineData("function* (e) { e.next() }")]
    [InlineData("(e) => e.next() && log(e)")]
    [InlineData("not a function")]
    public void A_handler_that_may_observe_the_rest_runs_it_inside_next(string code) =>
        Assert.False(TailNext.Check(SourceOf(code)), code);

    /// <summary>The source as the engine gives it back (Function.prototype.toString), as registration reads it.</summary>
    private static string SourceOf(string code)
    {
        try
        {
            return new Jint.Engine(o => { o.RetainFunctionSourceText = true; }).Evaluate("(" + code + ")").ToString();
        }
        catch (Exception e) when (e is Jint.Runtime.JavaScriptException or Acornima.ParseErrorException)
        {
            return code;
        }
    }
}
