using Microsoft.AspNetCore.Http;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// An answer a handler produced without writing it yet (a function's e.json() runs synchronously inside the
/// script; the bytes are written once the script returned). A request hook that answers this way and does not
/// call next replaces the built-in answer.
/// </summary>
public sealed class HandlerResponse
{
    private const string Key = "pg.handlerResponse";

    public int Status { get; set; } = StatusCodes.Status200OK;
    public string? ContentType { get; set; }
    public byte[] Body { get; set; } = [];
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    public static void Set(HttpContext ctx, HandlerResponse r) => ctx.Items[Key] = r;

    public static HandlerResponse? Get(HttpContext ctx) => ctx.Items[Key] as HandlerResponse;

    public static void Clear(HttpContext ctx) => ctx.Items.Remove(Key);

    /// <summary>Writes the pending answer, if there is one; false when there was none.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext ctx)
    {
        if (Get(ctx) is not { } r || ctx.Response.HasStarted) return false;
        Clear(ctx);
        ctx.Response.StatusCode = r.Status;
        foreach (var (k, v) in r.Headers) ctx.Response.Headers[k] = v;
        if (r.ContentType is not null) ctx.Response.ContentType = r.ContentType;
        if (r.Body.Length > 0) await ctx.Response.Body.WriteAsync(r.Body, ctx.RequestAborted);
        return true;
    }
}
