using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PaperGao.Core.Common;

namespace PaperGao.Api.Infrastructure;

/// <summary>Writes the PocketBase error envelope {data, message, status}, with Go's escapes (<see cref="GoStyleEscapes"/>).</summary>
public static class ErrorWriter
{
    /// <summary>Where the answered error's message is kept for the request log (Logs/RequestLogCapture).</summary>
    public const string ErrorItemKey = "pg.error";

    public static async Task WriteAsync(HttpContext ctx, ApiError error)
    {
        if (ctx.Response.HasStarted) return;
        ctx.Items[ErrorItemKey] = error.Message;
        ctx.Response.Clear();
        PaperGaoPipeline.ApplyHeaders(ctx.Response);
        ctx.Response.StatusCode = error.Status;
        ctx.Response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("data");
            error.Details.WriteTo(w);
            w.WriteString("message", Sentence(error.Message));
            w.WriteNumber("status", error.Status);
            w.WriteEndObject();
        }
        var json = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory);
        await ctx.Response.Body.WriteAsync(json[..GoStyleEscapes.Rewrite(json.Span)]);
    }

    /// <summary>First letter upper-cased, a '.' appended unless it ends in '.', '?' or '!'.</summary>
    public static string Sentence(string message)
    {
        var m = message.Trim();
        if (m.Length == 0) return m;
        m = char.ToUpperInvariant(m[0]) + m[1..];
        return m[^1] is '.' or '?' or '!' ? m : m + ".";
    }
}
