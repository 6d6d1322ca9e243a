using System.Text;
using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using PaperGao.Core.Net;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>
/// $http.send({url, method, body, headers, timeout}): through the guarded outbound client (loopback, private,
/// link-local and metadata addresses refused after DNS resolution and on every redirect, unless allow-listed),
/// with a time-out and a response size cap. Returns {statusCode, headers, cookies, raw, body, json}.
/// </summary>
public sealed class JsHttp(FunctionEngine engine)
{
    public const long MaxResponseBytes = 5L * 1024 * 1024;

    public JsValue Send(JsValue config)
    {
        if (config is not ObjectInstance o) throw Error("$http.send expects an object {url, method, body, headers, timeout}.");
        var url = o.Get("url");
        if (!url.IsString() || !Uri.TryCreate(url.AsString(), UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
            throw Error("$http.send needs an absolute http(s) url.");
        var method = o.Get("method") is { } m && m.IsString() ? m.AsString().ToUpperInvariant() : "GET";
        var timeout = o.Get("timeout") is { } t && t.IsNumber() && t.AsNumber() > 0 ? TimeSpan.FromSeconds(Math.Min(t.AsNumber(), 120)) : TimeSpan.FromSeconds(30);
        using var request = new HttpRequestMessage(new HttpMethod(method), uri);
        var body = o.Get("body");
        string? contentType = null;
        if (o.Get("headers") is ObjectInstance h)
        {
            foreach (var key in h.GetOwnPropertyKeys())
            {
                var name = key.ToString();
                var value = JsConvert.Text(engine.Js, h.Get(key));
                if (name.Equals("content-type", StringComparison.OrdinalIgnoreCase)) { contentType = value; continue; }
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
        if (!body.IsUndefined() && !body.IsNull())
        {
            var text = body.IsString() ? body.AsString() : JsConvert.ToNode(engine.Js, body)?.ToJsonString() ?? "";
            request.Content = new StringContent(text, Encoding.UTF8, "text/plain");
            request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType ?? (body.IsString() ? "text/plain; charset=utf-8" : "application/json"));
        }
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            using var response = FunctionCall.Wait(OutboundHttp.SendAsync(request, cts.Token, engine.Context.Http()));
            var bytes = FunctionCall.Wait(OutboundHttp.ReadLimitedAsync(response, MaxResponseBytes, cts.Token));
            return Result(response, bytes);
        }
        catch (OutboundException e)
        {
            throw Error(e.Message);
        }
        catch (OperationCanceledException)
        {
            throw Error("$http.send timed out.");
        }
        catch (HttpRequestException e)
        {
            throw Error("$http.send failed: " + e.Message);
        }
    }

    private JsValue Result(HttpResponseMessage response, byte[] bytes)
    {
        var headers = new JsonObject();
        foreach (var (k, v) in response.Headers.Concat(response.Content.Headers))
            headers[k] = new JsonArray([.. v.Select(x => (JsonNode?)JsonValue.Create(x))]);
        var cookies = new JsonObject();
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
        {
            foreach (var c in setCookies)
            {
                var pair = c.Split(';', 2)[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0) cookies[pair[..eq].Trim()] = pair[(eq + 1)..].Trim();
            }
        }
        var raw = Encoding.UTF8.GetString(bytes);
        JsonNode? json = null;
        try { json = raw.Length > 0 ? JsonNode.Parse(raw) : null; }
        catch (System.Text.Json.JsonException) { }
        var result = new JsonObject
        {
            ["statusCode"] = (int)response.StatusCode,
            ["headers"] = headers,
            ["cookies"] = cookies,
            ["raw"] = raw,
            ["json"] = json,
        };
        var js = (ObjectInstance)JsConvert.FromNode(engine.Js, result);
        js.Set("body", JsValue.FromObject(engine.Js, bytes.Select(b => (double)b).ToArray()));
        return js;
    }

    private JavaScriptException Error(string message) => new(engine.Js.Intrinsics.Error, message);
}
