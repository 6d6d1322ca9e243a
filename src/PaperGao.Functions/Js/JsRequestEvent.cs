using System.Text;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>
/// The event of a route (and the base of the record request events): the request, the caller (e.auth), the answer
/// helpers (json, string, html, noContent, redirect, blob), requestInfo(), bindBody(), next() for middlewares.
/// Answers are buffered and written when the script returns.
/// </summary>
public class JsRequestEvent(FunctionEngine engine, HttpContext ctx, IReadOnlyDictionary<string, string> pathValues, JsonObject? body)
{
    private JsonObject? _body = body;
    private readonly Dictionary<string, JsValue> _store = new(StringComparer.Ordinal);

    protected FunctionEngine Engine => engine;
    internal HttpContext Http => ctx;

    /// <summary>What next() runs (the rest of the middleware chain, or the built-in action of a request hook).</summary>
    internal Func<JsValue>? NextAction { get; set; }

    public JsRequest Request { get; } = new(ctx, pathValues);

    public JsRecord? Auth
    {
        get => ApiContext.Auth(ctx) is { } a ? new JsRecord(engine, a) : null;
        set => ApiContext.SetAuth(ctx, value?.Inner);
    }

    public JsApp App => engine.App;

    public JsValue Next() => NextAction?.Invoke() ?? JsValue.Undefined;

    public bool HasSuperuserAuth() => ctx.IsSuperuser();

    public bool IsTLS() => ctx.Request.IsHttps;

    public string RealIP() => ctx.Connection.RemoteIpAddress?.ToString() ?? "";

    public void Set(string key, JsValue value) => _store[key] = value;

    public JsValue Get(string key) => _store.GetValueOrDefault(key) ?? JsValue.Undefined;

    public void Json(int status, JsValue data)
    {
        var text = data is ObjectInstance o && o.ToObject() is JsRecord r ? r.ToJsonText()
            : JsConvert.ToNode(engine.Js, data)?.ToJsonString() ?? "null";
        Answer(status, "application/json", Encoding.UTF8.GetBytes(text));
    }

    public void String(int status, string data) => Answer(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(data));

    public void Html(int status, string data) => Answer(status, "text/html; charset=utf-8", Encoding.UTF8.GetBytes(data));

    public void NoContent(int status) => Answer(status, null, []);

    public void Blob(int status, string contentType, JsValue bytes)
    {
        var data = bytes.IsString() ? Encoding.UTF8.GetBytes(bytes.AsString())
            : JsValueExtensions.IsArray(bytes) ? [.. bytes.AsArray().Select(b => (byte)b.AsNumber())] : [];
        Answer(status, contentType, data);
    }

    public void Redirect(int status, string url)
    {
        if (status is < 300 or > 399) throw ApiError.BadRequest("Invalid redirect status code.");
        var r = Answer(status, null, []);
        r.Headers["Location"] = url;
    }

    /// <summary>{auth, body, query, headers, method, context} as PocketBase's e.requestInfo().</summary>
    public JsValue RequestInfo()
    {
        var query = new JsonObject();
        foreach (var (k, v) in ctx.Request.Query) query[k] = v.FirstOrDefault() ?? "";
        var headers = new JsonObject();
        foreach (var (k, v) in ctx.Request.Headers) headers[k.ToLowerInvariant().Replace('-', '_')] = v.FirstOrDefault() ?? "";
        var info = new JsonObject
        {
            ["method"] = ctx.Request.Method,
            ["context"] = "default",
            ["query"] = query,
            ["headers"] = headers,
            ["body"] = BodyObject().DeepClone(),
        };
        var js = (ObjectInstance)JsConvert.FromNode(engine.Js, info);
        js.Set("auth", Auth is { } a ? JsValue.FromObject(engine.Js, a) : JsValue.Null);
        return js;
    }

    /// <summary>Copies the request body onto the target object (only its declared keys when it has any).</summary>
    public void BindBody(JsValue target)
    {
        if (target is not ObjectInstance o) throw ApiError.BadRequest("bindBody expects an object.");
        var declared = o.GetOwnPropertyKeys().Select(k => k.ToString()).ToHashSet(StringComparer.Ordinal);
        foreach (var (k, v) in BodyObject())
        {
            if (declared.Count > 0 && !declared.Contains(k)) continue;
            o.Set(k, JsConvert.FromNode(engine.Js, v));
        }
    }

    private JsonObject BodyObject()
    {
        if (_body is not null) return _body;
        var method = ctx.Request.Method;
        _body = HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || (ctx.Request.ContentLength is 0 && !ctx.Request.Headers.ContainsKey("Transfer-Encoding"))
            ? []
            : FunctionCall.Wait(RequestBody.ReadObjectAsync(ctx));
        return _body;
    }

    private HandlerResponse Answer(int status, string? contentType, byte[] body)
    {
        if (status is < 100 or > 599) throw ApiError.BadRequest("Invalid status code.");
        var r = new HandlerResponse { Status = status, ContentType = contentType, Body = body };
        HandlerResponse.Set(ctx, r);
        return r;
    }
}
