using Jint.Native;
using Microsoft.AspNetCore.Http;
using PaperGao.Core.Hooks;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>The event of the record write hooks (onRecordCreate, onRecordAfterCreateSuccess, ...): e.record, e.collection, e.app, e.next(), e.error.</summary>
public sealed class JsRecordEvent(FunctionEngine engine, RecordEvent e)
{
    internal Func<JsValue>? NextAction { get; set; }

    public JsRecord Record { get; } = new(engine, e.Record);
    public JsCollection Collection { get; } = new(e.Collection);
    public JsApp App => engine.App;
    public string Type => e.Scope is null ? "after" : "before";

    /// <summary>The failure's message (the *Error hooks), else "".</summary>
    public string Error => e.Error?.Message ?? "";

    public JsValue Next() => NextAction?.Invoke() ?? JsValue.Undefined;
}

/// <summary>
/// The event of the records API request hooks (onRecordCreateRequest, onRecordViewRequest, onRecordAuthRequest, ...):
/// everything a route event has, plus e.record (null for lists) and e.collection.
/// </summary>
public sealed class JsRecordRequestEvent(FunctionEngine engine, RecordRequestEvent e, HttpContext ctx)
    : JsRequestEvent(engine, ctx, new Dictionary<string, string>(), e.Body)
{
    public JsRecord? Record { get; } = e.Record is null ? null : new JsRecord(engine, e.Record);
    public JsCollection Collection { get; } = new(e.Collection);
    public string AuthMethod => e.AuthMethod ?? "";
}
