using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// Writes a 2xx JSON response, applying the "fields" picker (protocol.md §1.4) when the query asks for it.
/// Without "fields" the JSON goes straight to the response body.
/// </summary>
public static class JsonResponse
{
    private static readonly byte[] Newline = "\n"u8.ToArray();

    public static async Task WriteAsync(HttpContext ctx, Action<Utf8JsonWriter> write, int status = StatusCodes.Status200OK)
        => await WriteAsync(ctx, w => { write(w); return Task.CompletedTask; }, status);

    public static async Task WriteAsync(HttpContext ctx, Func<Utf8JsonWriter, Task> write, int status = StatusCodes.Status200OK)
    {
        var fields = ctx.Request.Query["fields"].FirstOrDefault();
        if (string.IsNullOrWhiteSpace(fields))
        {
            // Buffer first so an error halfway still produces a clean error envelope.
            var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
            await using (var w = new Utf8JsonWriter(buffer)) await write(w);
            var json = System.Runtime.InteropServices.MemoryMarshal.AsMemory(buffer.WrittenMemory);
            json = json[..GoStyleEscapes.Rewrite(json.Span)];
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "application/json";
            ctx.Response.ContentLength = json.Length + 1;
            await ctx.Response.Body.WriteAsync(json);
            await ctx.Response.Body.WriteAsync(Newline);
            return;
        }
        using var ms = new MemoryStream();
        await using (var w = new Utf8JsonWriter(ms)) await write(w);
        var node = JsonNode.Parse(ms.ToArray());
        node = FieldsPicker.Apply(node, fields);
        var picked = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(picked))
        {
            if (node is null) w.WriteNullValue(); else node.WriteTo(w);
        }
        var pickedJson = System.Runtime.InteropServices.MemoryMarshal.AsMemory(picked.WrittenMemory);
        pickedJson = pickedJson[..GoStyleEscapes.Rewrite(pickedJson.Span)];
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.Body.WriteAsync(pickedJson);
        await ctx.Response.Body.WriteAsync(Newline);
    }

    public static Task WriteNodeAsync(HttpContext ctx, JsonNode? node, int status = StatusCodes.Status200OK) =>
        WriteAsync(ctx, w => { if (node is null) w.WriteNullValue(); else node.WriteTo(w); }, status);

    public static void NoContent(HttpContext ctx) => ctx.Response.StatusCode = StatusCodes.Status204NoContent;
}
