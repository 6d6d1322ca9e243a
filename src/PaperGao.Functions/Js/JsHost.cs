using Jint.Native;
using Jint.Runtime;
using PaperGao.Core.Common;
using PaperGao.Core.Records;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>The host object behind the prelude's globals (routerAdd, on*, cronAdd, require, console, sleep, new Record).</summary>
public sealed class JsHost(FunctionEngine engine)
{
    public void Register(string kind, string key, string path, JsValue handler, JsValue extra)
    {
        if (handler is not Jint.Native.Function.Function) throw new JavaScriptException(engine.Js.Intrinsics.TypeError, kind + ": the handler must be a function.");
        var list = JsValueExtensions.IsArray(extra) ? extra.AsArray().ToArray() : [];
        var r = kind switch
        {
            "route" => new Registration(RegistrationKind.Route, key.ToUpperInvariant(), path, [], handler, list, engine.CurrentFile, 0),
            "middleware" => new Registration(RegistrationKind.Middleware, key, path, [], handler, [], engine.CurrentFile, 0),
            "hook" => new Registration(RegistrationKind.Hook, key, path, [.. list.Select(v => v.ToString())], handler, [], engine.CurrentFile, 0) { NextInTail = TailNext.Check(handler.ToString()) },
            "cron" => new Registration(RegistrationKind.Cron, key, path, [], handler, [], engine.CurrentFile, 0),
            _ => throw new JavaScriptException(engine.Js.Intrinsics.TypeError, "unknown registration " + kind),
        };
        if (r.Kind == RegistrationKind.Route && (path.Length == 0 || path[0] != '/'))
            throw new JavaScriptException(engine.Js.Intrinsics.TypeError, "routerAdd: the path must start with '/'.");
        if (r.Kind == RegistrationKind.Cron) Cron.CronSchedule.Validate(path, engine);
        if (r.Kind == RegistrationKind.Route && r.Middlewares.Any(m => m is not Jint.Native.Function.Function))
            throw new JavaScriptException(engine.Js.Intrinsics.TypeError, "routerAdd: middlewares must be functions.");
        engine.Register(r);
    }

    /// <summary>cronRemove(id) at load time removes a job registered earlier (by this or another file).</summary>
    public void RemoveCron(string id) => engine.RemoveCron(id);

    public JsValue Require(string name) => engine.RequireFile(name);

    public void Log(string level, JsValue args)
    {
        var parts = JsValueExtensions.IsArray(args) ? args.AsArray().Select(a => JsConvert.Text(engine.Js, a)) : [];
        JsLogger.Emit(engine, level, "console", string.Join(' ', parts), "");
    }

    /// <summary>sleep(ms): waits, checking the call's time limit as it goes.</summary>
    public void Sleep(double ms)
    {
        var until = DateTime.UtcNow.AddMilliseconds(Math.Clamp(ms, 0, 600_000));
        while (DateTime.UtcNow < until)
        {
            engine.CheckLimits();
            Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(20, Math.Max(1, (until - DateTime.UtcNow).TotalMilliseconds))));
        }
        engine.CheckLimits();
    }

    public JsRecord NewRecord(JsValue collection, JsValue data)
    {
        var c = engine.App.CollectionOf(collection);
        if (c.IsView) throw ApiError.BadRequest("Records of a view collection cannot be created.");
        var r = new Record(c);
        foreach (var f in c.Fields) r.Values[f.Name] = f.ZeroValue;
        var js = new JsRecord(engine, r, isNew: true);
        js.Load(data);
        return js;
    }
}
