using PaperGao.Core.Records;

namespace PaperGao.Functions.Js;

/// <summary>
/// The write transaction a function runs in, if any (a before-hook, $app.runInTransaction): $app reads and writes
/// through it so a hook sees its own write and never waits for the writer it holds.
/// </summary>
public static class FunctionCall
{
    private static readonly AsyncLocal<WriteScope?> CurrentScope = new();

    public static WriteScope? Scope => CurrentScope.Value;

    public static T WithScope<T>(WriteScope? scope, Func<T> work)
    {
        var previous = CurrentScope.Value;
        CurrentScope.Value = scope;
        try
        {
            return work();
        }
        finally
        {
            CurrentScope.Value = previous;
        }
    }

    /// <summary>Waits for host work from synchronous JavaScript (the engine's thread is the caller's; the call's pool slot is free meanwhile).</summary>
    public static T Wait<T>(Task<T> task)
    {
        Engine.FunctionSet.WaitOutside(task);
        return task.GetAwaiter().GetResult();
    }

    public static void Wait(Task task) => Engine.FunctionSet.WaitOutside(task);
}
