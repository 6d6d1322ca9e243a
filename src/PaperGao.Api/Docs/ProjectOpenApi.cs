using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using PaperGao.Api.Infrastructure;
using Scalar.AspNetCore;

namespace PaperGao.Api.Docs;

/// <summary>
/// GET /api/openapi.json (and /p/{project}/api/openapi.json): the OpenAPI 3.1 document of the HTTP API (generated from
/// the endpoints once per server) plus the caller's project's own collections (<see cref="CollectionPaths"/>).
/// </summary>
public static class ProjectOpenApi
{
    private static readonly ConditionalWeakTable<IOpenApiDocumentProvider, Task<string>> BaseDocuments = new();

    public static IEndpointRouteBuilder MapProjectOpenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/openapi.json", (Func<HttpContext, Task>)DocumentAsync).WithTags("Docs").WithName("OpenApiDocument")
            .WithSummary("This OpenAPI 3.1 document, with the project's collections (superusers see all; others the ones whose list rule is not superuser-only).");
        // The reference page (Scalar, its script bundled in the server: no CDN) reads the document above, of the
        // project the page is served for (/api/docs or /p/{project}/api/docs).
        app.MapScalarApiReference("/api/docs", (o, ctx) =>
        {
            o.Title = "PaperGao API: project " + ctx.Project().Name;
            // Relative to the page's base (the page's path without /api/docs/), so /p/{project} keeps its prefix.
            o.OpenApiRoutePattern = "/api/openapi.json";
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task DocumentAsync(HttpContext ctx)
    {
        // The generator is a singleton per server: the endpoint part of the document is built once per server.
        var provider = ctx.RequestServices.GetRequiredKeyedService<IOpenApiDocumentProvider>("v1");
        var baseJson = await BaseDocuments.GetValue(provider, BuildBaseAsync);
        var doc = (JsonObject)JsonNode.Parse(baseJson)!;
        var project = ctx.Project();
        doc["info"]!["title"] = "PaperGao API: project " + project.Name;
        CollectionPaths.AddTo(doc, project.Collections.All, ctx.IsSuperuser());
        UniqueOperationIds(doc);
        ctx.Response.Headers.CacheControl = "no-store";
        await JsonResponse.WriteNodeAsync(ctx, doc);
    }

    /// <summary>OpenAPI wants unique operationIds; a route mapped for several methods (GET and HEAD) repeats one: add the method.</summary>
    private static void UniqueOperationIds(JsonObject doc)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, item) in doc["paths"]!.AsObject())
        {
            if (item is not JsonObject ops) continue;
            foreach (var (method, op) in ops)
            {
                if (op is not JsonObject o || o["operationId"] is not JsonValue v || !v.TryGetValue<string>(out var id)) continue;
                if (!seen.Add(id)) o["operationId"] = id + "_" + method;
            }
        }
    }

    private static async Task<string> BuildBaseAsync(IOpenApiDocumentProvider provider)
    {
        var document = await provider.GetOpenApiDocumentAsync(CancellationToken.None);
        return await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, CancellationToken.None);
    }
}
