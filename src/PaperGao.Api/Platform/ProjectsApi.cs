using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Analytics;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Logs;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Platform;

/// <summary>
/// Platform endpoints for the superusers of the default project: list, create and delete projects.
/// Each project is then served at /p/{name}/api/... (docs/projects.md).
/// </summary>
public static class ProjectsApi
{
    public static IEndpointRouteBuilder MapProjectsApi(this IEndpointRouteBuilder app)
    {
        var g = app.MapGroup("/api/platform/projects").WithTags("Platform");
        g.MapGet("", (Func<HttpContext, Task>)ListAsync).WithName("ListProjects").WithSummary("List the projects of this server.");
        g.MapPost("", (Func<HttpContext, Task>)CreateAsync).WithName("CreateProject").WithSummary("Create a project {\"name\"}.");
        g.MapGet("/{name}", ViewAsync).WithName("ViewProject").WithSummary("One project, with the bytes it uses: usage {database, logs, files}.");
        g.MapDelete("/{name}", DeleteAsync).WithName("DeleteProject").WithSummary("Delete a project and all its data.");
        return app;
    }

    private static void RequirePlatformAdmin(HttpContext ctx)
    {
        if (ctx.Project().Name != ProjectNames.Default) throw ApiError.NotFound();
        ctx.RequireSuperuser();
    }

    private static async Task ListAsync(HttpContext ctx)
    {
        RequirePlatformAdmin(ctx);
        var registry = ctx.RequestServices.GetRequiredService<ProjectRegistry>();
        var names = await registry.ListAsync(ctx.RequestAborted);
        var items = new JsonArray([.. names.Select(n => (JsonNode)Describe(n))]);
        await JsonResponse.WriteNodeAsync(ctx, new JsonObject
        {
            ["items"] = items, ["page"] = 1, ["perPage"] = names.Count, ["totalItems"] = names.Count, ["totalPages"] = names.Count == 0 ? 0 : 1,
        });
    }

    private static async Task ViewAsync(HttpContext ctx, string name)
    {
        RequirePlatformAdmin(ctx);
        var registry = ctx.RequestServices.GetRequiredService<ProjectRegistry>();
        var project = await registry.GetAsync(name, ctx.RequestAborted) ?? throw ApiError.NotFound();
        var usage = await ProjectUsage.MeasureAsync(project, ctx.RequestServices.GetRequiredService<LogStores>(), ctx.RequestAborted);
        var item = Describe(name);
        item["usage"] = usage.ToJson();
        await JsonResponse.WriteNodeAsync(ctx, item);
    }

    private static async Task CreateAsync(HttpContext ctx)
    {
        RequirePlatformAdmin(ctx);
        var body = await RequestBody.ReadObjectAsync(ctx);
        var name = body["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (string.IsNullOrEmpty(name))
            throw ApiError.BadRequest("Failed to create project.", new ErrorData().Add("name", FieldError.Required()));
        var registry = ctx.RequestServices.GetRequiredService<ProjectRegistry>();
        var project = await registry.CreateAsync(name, ctx.RequestAborted);
        await JsonResponse.WriteNodeAsync(ctx, Describe(project.Name));
    }

    private static async Task DeleteAsync(HttpContext ctx, string name)
    {
        RequirePlatformAdmin(ctx);
        await ctx.RequestServices.GetRequiredService<ProjectRegistry>().DeleteAsync(name, ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }

    private static JsonObject Describe(string name) => new()
    {
        ["name"] = name,
        ["apiPath"] = name == ProjectNames.Default ? "/api/" : $"/p/{name}/api/",
        ["default"] = name == ProjectNames.Default,
    };
}
