using Jint.Native;
using Microsoft.AspNetCore.Http;
using PaperGao.Core.Hooks;
using PaperGao.Core.Records;
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

/// <summary>
/// The records of one onRecordEnrich event, as the prelude's enrich loop (__enrichRecords in Prelude.js) reads them.
/// The loop makes each record's event in JavaScript (e.record, e.collection, e.app, e.requestInfo, e.next()): a list
/// of 30 records costs 30 small script objects, not 30 host wrappers with a reflected call each. What the records
/// share (the collection, requestInfo) is made once, when first read; a record's JsRecord when its handler reads it.
/// </summary>
public sealed class JsRecordEnrichBatch(FunctionEngine engine, RecordEnrichEvent e)
{
    private JsCollection? _collection;
    private JsValue? _info;

    public JsRecord Record(int index) => new(engine, e.Records[index]);
    public JsCollection Collection => _collection ??= new JsCollection(e.Collection);
    public JsValue RequestInfo => _info ??= BuildRequestInfo(engine, e.Request);

    /// <summary>Waits for an async handler's promise (the loop calls it only for promises).</summary>
    public JsValue Unwrap(JsValue value) => value.UnwrapIfPromise();

    /// <summary>PocketBase's requestInfo as a JavaScript object, built once per event batch.</summary>
    internal static JsValue BuildRequestInfo(FunctionEngine engine, PaperGao.Core.Records.RequestInfo r)
    {
        var query = new System.Text.Json.Nodes.JsonObject();
        foreach (var (k, v) in r.Query) query[k] = v;
        var headers = new System.Text.Json.Nodes.JsonObject();
        foreach (var (k, v) in r.Headers) headers[k] = v;
        var info = new System.Text.Json.Nodes.JsonObject
        {
            ["method"] = r.Method,
            ["context"] = r.Context,
            ["query"] = query,
            ["headers"] = headers,
            ["body"] = r.Body?.DeepClone() ?? new System.Text.Json.Nodes.JsonObject(),
        };
        var js = (Jint.Native.Object.ObjectInstance)JsConvert.FromNode(engine.Js, info);
        js.Set("auth", r.Auth is { } a ? JsValue.FromObject(engine.Js, new JsRecord(engine, a)) : JsValue.Null);
        return js;
    }
}
