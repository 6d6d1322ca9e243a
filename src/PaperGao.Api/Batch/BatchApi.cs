using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.WebUtilities;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Keys;
using PaperGao.Core.ApiKeys;
using PaperGao.Api.Records;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Batch;

/// <summary>
/// POST /api/batch (protocol.md §2.7): create, update, upsert and delete requests run in order in ONE transaction
/// with the caller's auth; any failure rolls everything back.
/// </summary>
public static class BatchApi
{
    public static IEndpointRouteBuilder MapBatchApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/batch", (Func<HttpContext, Task>)HandleAsync).WithTags("Batch").WithName("Batch").WithSummary("Run record writes in one transaction, all or nothing.");
        return app;
    }

    private sealed record SubRequest(string Method, string Url, JsonObject Body)
    {
        public RecordUploads Files { get; } = new();
    }

    /// <summary>settings.batch.maxBodySize, 0 meaning 128 MiB (protocol.md §2.7).</summary>
    private const long DefaultMaxBodySize = 128L << 20;

    private static async Task HandleAsync(HttpContext ctx)
    {
        var project = ctx.Project();
        var settings = project.Settings.Batch;
        if (!settings.Enabled) throw ApiError.Forbidden("Batch requests are not allowed.");
        var (body, files) = await RequestBody.ReadWithFilesAsync(ctx, settings.MaxBodySize > 0 ? settings.MaxBodySize : DefaultMaxBodySize);
        var requests = Parse(body, settings.MaxRequests);
        AssignFiles(requests, files);
        if (ctx.ApiKey() is { Superuser: false } key) CheckKeyScopes(project, key, requests);
        var req = ctx.RequestInfo("batch");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted);
        timeout.CancelAfter(TimeSpan.FromSeconds(settings.Timeout));
        WriteScope? scope = null;
        var results = new JsonArray();
        var failedIndex = -1;
        try
        {
            await project.Database.WriteAsync(async tx =>
            {
                scope = new WriteScope(tx);
                for (var i = 0; i < requests.Count; i++)
                {
                    failedIndex = i;
                    results.Add(await RunAsync(project, requests[i], req, ctx.ApiKey(), scope, timeout.Token));
                }
                failedIndex = -1;
            }, timeout.Token);
        }
        catch (ApiError e) when (failedIndex >= 0)
        {
            scope!.Failure = e;
            await scope.RunRollbackAsync(project.Hooks.ReportAfterCommitError);
            throw Failed(failedIndex, e);
        }
        catch (OperationCanceledException) when (!ctx.RequestAborted.IsCancellationRequested)
        {
            if (scope is not null) await scope.RunRollbackAsync(project.Hooks.ReportAfterCommitError);
            throw ApiError.BadRequest("Batch transaction failed.");
        }
        catch (Exception e)
        {
            if (scope is not null)
            {
                scope.Failure = e;
                await scope.RunRollbackAsync(project.Hooks.ReportAfterCommitError);
            }
            throw;
        }
        await scope!.RunAfterCommitAsync(project.Hooks.ReportAfterCommitError);
        await JsonResponse.WriteAsync(ctx, w => results.WriteTo(w));
    }

    /// <summary>A scoped API key: every entry must be within its scopes, checked before anything runs (403).</summary>
    private static void CheckKeyScopes(Project project, ApiKey key, List<SubRequest> requests)
    {
        foreach (var r in requests)
        {
            var q = r.Url.IndexOf('?', StringComparison.Ordinal);
            var route = RouteInfo.Of(r.Method == "PUT" ? "POST" : r.Method, q < 0 ? r.Url : r.Url[..q]);
            if (!route.IsRecordAction || project.Collections.Find(route.Collection!) is not { } c) continue; // refused as a bad url later
            ApiKeyAccess.For(key, c, route.Action!);
            if (r.Method == "PUT") ApiKeyAccess.For(key, c, ApiKeyActions.Update);
        }
    }

    /// <summary>File parts named "requests.N.field" or "requests[N].field" (field may carry a +/- modifier) go to request N.</summary>
    private static void AssignFiles(List<SubRequest> requests, RecordUploads files)
    {
        foreach (var key in files.Keys)
        {
            var m = System.Text.RegularExpressions.Regex.Match(key, @"^requests(?:\.([0-9]{1,4})\.|\[([0-9]{1,4})\]\.)(.+)$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);
            var index = m.Success ? int.Parse(m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
            if (index < 0 || index >= requests.Count)
            {
                throw ApiError.BadRequest("Failed to process the uploaded files.",
                    new ErrorData().Add(key.Length > 100 ? key[..100] : key, new FieldError("validation_invalid_file", "A batch file part must be named requests.N.field for an existing request N.")));
            }
            foreach (var f in files.For(key)) requests[index].Files.Add(m.Groups[3].Value, f);
        }
    }

    private static List<SubRequest> Parse(JsonObject body, int max)
    {
        if (body["requests"] is not JsonArray arr)
            throw ApiError.BadRequest("An error occurred while validating the submitted data.", new ErrorData().Add("requests", FieldError.Required()));
        if (arr.Count > max)
            throw ApiError.BadRequest("An error occurred while validating the submitted data.",
                new ErrorData().Add("requests", new FieldError("validation_length_too_long", $"The allowed max number of batch requests is {max}.")));
        var list = new List<SubRequest>();
        var errors = new ErrorData();
        for (var i = 0; i < arr.Count; i++)
        {
            var key = i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (arr[i] is not JsonObject o || o["method"] is not JsonValue m || !m.TryGetValue<string>(out var method) || o["url"] is not JsonValue u || !u.TryGetValue<string>(out var url))
            {
                errors.Add(key, new FieldError("validation_invalid_request", "Each request needs a method and a url."));
                continue;
            }
            var sub = o["body"] as JsonObject ?? [];
            list.Add(new SubRequest(method.ToUpperInvariant(), url, (JsonObject)sub.DeepClone()));
        }
        if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", new ErrorData().Add("requests", errors));
        return list;
    }

    private static async Task<JsonNode> RunAsync(Project project, SubRequest r, RequestInfo req, ApiKey? key, WriteScope scope, CancellationToken ct)
    {
        var qIndex = r.Url.IndexOf('?', StringComparison.Ordinal);
        var path = qIndex < 0 ? r.Url : r.Url[..qIndex];
        var query = qIndex < 0 ? new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>() : QueryHelpers.ParseQuery(r.Url[qIndex..]);
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        // api / collections / {c} / records [/ {id}]
        if (segments.Length is < 4 or > 5 || segments[0] != "api" || segments[1] != "collections" || segments[3] != "records")
            throw ApiError.BadRequest("Invalid batch request url: only record create, update, upsert and delete are allowed.");
        var found = RecordsApi.FindCollection(project, Uri.UnescapeDataString(segments[2]));
        var c = found;
        var id = segments.Length == 5 ? Uri.UnescapeDataString(segments[4]) : null;
        var subReq = req.With(method: r.Method);
        Record? record;
        switch (r.Method)
        {
            case "POST" when id is null:
                c = ApiKeyAccess.For(key, found, ApiKeyActions.Create);
                record = await RecordWriter.CreateAsync(project, c, r.Body, subReq, scope, ct, r.Files);
                break;
            case "PATCH" when id is not null:
                c = ApiKeyAccess.For(key, found, ApiKeyActions.Update);
                record = await RecordWriter.UpdateAsync(project, c, id, r.Body, subReq, scope, ct, r.Files);
                break;
            case "PUT" when id is null:
                var upsertId = r.Body["id"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
                c = ApiKeyAccess.For(key, found, ApiKeyActions.Create);
                c = ApiKeyAccess.For(key, found, ApiKeyActions.Update);
                var exists = upsertId.Length > 0 && await RecordSql.FindByIdAsync(project.Database, scope.Connection, scope.Transaction, c, upsertId, ct) is not null;
                record = exists
                    ? await RecordWriter.UpdateAsync(project, c, upsertId, r.Body, subReq, scope, ct, r.Files)
                    : await RecordWriter.CreateAsync(project, c, r.Body, subReq, scope, ct, r.Files);
                break;
            case "DELETE" when id is not null:
                c = ApiKeyAccess.For(key, found, ApiKeyActions.Delete);
                await RecordWriter.DeleteAsync(project, c, id, subReq, scope, ct);
                return new JsonObject { ["body"] = null, ["status"] = 204 };
            default:
                throw ApiError.BadRequest("Invalid batch request: only POST, PATCH, PUT and DELETE record requests are allowed.");
        }
        // The answer's own copy: the after-commit hooks and realtime keep the written record as it is (an enrich handler changes only the answer).
        record = record.Clone();
        await EmailAccess.MarkAsync(project, scope.Connection, scope.Transaction, [record], subReq, ct);
        var expand = query.TryGetValue("expand", out var e) ? e.ToString() : "";
        if (!string.IsNullOrWhiteSpace(expand))
            await RecordExpander.ExpandAsync(project, scope.Connection, scope.Transaction, [record], ExpandTree.Parse(expand), subReq, ct);
        // onRecordEnrich, inside the transaction as in PocketBase (a handler that throws fails the batch; its $app reads see the batch's writes).
        await RecordEnricher.EnrichAsync(project, [record], subReq, scope);
        using var ms = new MemoryStream();
        await using (var w = new Utf8JsonWriter(ms)) RecordJsonWriter.Write(w, record, RecordJsonWriter.Viewer.From(subReq));
        var node = JsonNode.Parse(ms.ToArray());
        if (query.TryGetValue("fields", out var f) && !string.IsNullOrWhiteSpace(f)) node = FieldsPicker.Apply(node, f.ToString());
        return new JsonObject { ["body"] = node, ["status"] = 200 };
    }

    private static ApiError Failed(int index, ApiError inner)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            w.WritePropertyName("data");
            inner.Details.WriteTo(w);
            w.WriteString("message", ErrorWriter.Sentence(inner.Message));
            w.WriteNumber("status", inner.Status);
            w.WriteEndObject();
        }
        var entry = new JsonObject
        {
            ["code"] = "batch_request_failed",
            ["message"] = "Batch request failed.",
            ["response"] = JsonNode.Parse(ms.ToArray()),
        };
        var requests = new ErrorData().AddRaw(index.ToString(System.Globalization.CultureInfo.InvariantCulture), entry);
        return ApiError.BadRequest("Batch transaction failed.", new ErrorData().Add("requests", requests));
    }
}
