using Microsoft.AspNetCore.Http;

namespace PaperGao.Functions.Js;

/// <summary>e.request: method, url, headers and the route's path values.</summary>
public sealed class JsRequest(HttpContext ctx, IReadOnlyDictionary<string, string> pathValues)
{
    public string Method => ctx.Request.Method;
    public JsUrl Url { get; } = new(ctx);
    public JsHeader Header { get; } = new(ctx.Request.Headers);
    public string Host => ctx.Request.Host.Value ?? "";
    public string RemoteAddr => ctx.Connection.RemoteIpAddress?.ToString() ?? "";
    public string PathValue(string name) => pathValues.GetValueOrDefault(name) ?? "";
}

/// <summary>e.request.url: path, raw query and query().get(name).</summary>
public sealed class JsUrl(HttpContext ctx)
{
    public string Path => ctx.Request.PathBase + ctx.Request.Path;
    public string RawQuery => ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : "";
    public JsQuery Query() => new(ctx.Request.Query);
    public override string ToString() => Path + ctx.Request.QueryString;
}

public sealed class JsQuery(IQueryCollection q)
{
    public string Get(string name) => q[name].FirstOrDefault() ?? "";
    public bool Has(string name) => q.ContainsKey(name);
}

/// <summary>e.request.header.get(name).</summary>
public sealed class JsHeader(IHeaderDictionary h)
{
    public string Get(string name) => h[name].FirstOrDefault() ?? "";
}
