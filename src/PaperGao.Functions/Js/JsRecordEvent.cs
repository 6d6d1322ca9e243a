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
/// The event of onRecordEnrich: e.record (changes go to the client only; nothing is saved), e.requestInfo
/// ({auth, method, context, query, headers, body}), e.collection, e.app, e.next(). One per record; what every record
/// of the answer shares (the handlers, the collection, requestInfo) is in its <see cref="Batch"/>, made once.
/// </summary>
public sealed class JsRecordEnrichEvent(JsRecordEnrichEvent.Batch batch, Record record)
{
    private int _position = -1;
    private JsValue? _self;

    public JsRecord Record { get; } = new(batch.Engine, record);
    public JsCollection Collection => batch.Collection;
    public JsApp App => batch.Engine.App;
    public JsValue RequestInfo => batch.RequestInfo;

    public JsValue Next() => Step();

    /// <summary>Runs the next handler of the chain with this event (the first one when called by the host).</summary>
    internal JsValue Step()
    {
        var fns = batch.Handlers;
        if (++_position >= fns.Length) return JsValue.Undefined;
        var js = batch.Engine.Js;
        _self ??= JsValue.FromObject(js, this);
        return js.Invoke(fns[_position], JsValue.Undefined, [_self]).UnwrapIfPromise();
    }

    /// <summary>What the events of one answer's records share.</summary>
    public sealed class Batch(FunctionEngine engine, RecordEnrichEvent e, IReadOnlyList<int> handlers)
    {
        private JsCollection? _collection;
        private JsValue? _info;

        internal FunctionEngine Engine => engine;
        internal JsValue[] Handlers { get; } = [.. handlers.Select(i => engine.Registrations[i].Handler)];
        internal JsCollection Collection => _collection ??= new JsCollection(e.Collection);
        internal JsValue RequestInfo => _info ??= BuildRequestInfo(engine, e.Request);
    }

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
