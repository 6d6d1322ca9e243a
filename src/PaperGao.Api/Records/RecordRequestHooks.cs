using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Records;

/// <summary>
/// The records API request hooks (onRecordCreateRequest, ...): the event carries the record as the request would
/// make it; what a handler changes on it goes into the write as if the client had sent it (validated and checked
/// against the rules like any input). A handler that neither calls next nor answers stops the request with 400.
/// </summary>
public static class RecordRequestHooks
{
    /// <summary>Runs the hook around <paramref name="action"/> (which writes the built-in answer).</summary>
    public static async Task RunAsync(HttpContext ctx, Hook<RecordRequestEvent> hook, RecordRequestEvent e, Func<Task> action)
    {
        HandlerResponse.Clear(ctx);
        var ran = await hook.TriggerCheckedAsync(e, action);
        if (ran) return;
        if (!await HandlerResponse.TryWriteAsync(ctx) && !ctx.Response.HasStarted)
            throw ApiError.BadRequest("The request was stopped by a hook.");
    }

    /// <summary>The record the body would produce (input errors are left for the write to report).</summary>
    public static Record Preview(Collection c, Record? stored, JsonObject body, bool isSuperuser)
    {
        var record = stored?.Clone() ?? new Record(c);
        if (stored is null) foreach (var f in c.Fields) record.Values[f.Name] = f.ZeroValue;
        RecordInputApplier.Apply(record, body, isNew: stored is null, isSuperuser, new ErrorData());
        return record;
    }

    /// <summary>The body with every field a handler changed on the previewed record set to its new value.</summary>
    public static JsonObject WithChanges(JsonObject body, Record before, Record after)
    {
        foreach (var f in after.Collection.Fields)
        {
            var now = after.Values.GetValueOrDefault(f.Name);
            if (now is PasswordInput pw)
            {
                if (before.Values.GetValueOrDefault(f.Name) is PasswordInput old && old.Plain == pw.Plain) continue;
                body[f.Name] = pw.Plain;
                continue;
            }
            if (f is PasswordField or AutodateField) continue;
            var a = Json(f, before.Values.GetValueOrDefault(f.Name));
            var b = Json(f, now);
            if (a != b) body[f.Name] = JsonNode.Parse(b);
        }
        return body;
    }

    private static string Json(Field f, object? value)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var w = new Utf8JsonWriter(buffer)) f.WriteValue(w, value);
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static RecordRequestEvent Event(Project p, Collection c, RequestInfo req, HttpContext ctx) => new(p, c, req, ctx);
}
