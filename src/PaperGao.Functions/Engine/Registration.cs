using Jint.Native;

namespace PaperGao.Functions.Engine;

/// <summary>What a function file registered at load time, in order (every engine of a set registers the same list).</summary>
public enum RegistrationKind { Route, Middleware, Hook, Cron }

/// <summary>
/// One registration: a route (Key = method, Path = pattern), a global middleware, a hook (Key = hook name, Tags =
/// collection ids or names) or a cron job (Key = id, Path = schedule). Handler is this engine's function value.
/// </summary>
public sealed record Registration(RegistrationKind Kind, string Key, string Path, IReadOnlyList<string> Tags, JsValue Handler, IReadOnlyList<JsValue> Middlewares, string File, int Line)
{
    /// <summary>A hook whose handler calls e.next() only as its last act (TailNext): the rest of the chain runs after it returns.</summary>
    public bool NextInTail { get; init; }
}
