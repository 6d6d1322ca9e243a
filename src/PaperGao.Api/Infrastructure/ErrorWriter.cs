using System.Text.Json;
using Microsoft.AspNetCore.Http;
using PaperGao.Core.Common;

namespace PaperGao.Api.Infrastructure;

/// <summary>Writes the PocketBase error envelope {data, message, status}.</summary>
public static class ErrorWriter
{
    public static async Task WriteAsync(HttpContext ctx, ApiError error)
    {
        if (ctx.Response.HasStarted) return;
        ctx.Response.Clear();
        ctx.Response.StatusCode = error.Status;
        ctx.Response.ContentType = "application/json";
        await using var w = new Utf8JsonWriter(ctx.Response.Body);
        w.WriteStartObject();
        w.WritePropertyName("data");
        error.Details.WriteTo(w);
        w.WriteString("message", Sentence(error.Message));
        w.WriteNumber("status", error.Status);
        w.WriteEndObject();
        await w.FlushAsync();
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
