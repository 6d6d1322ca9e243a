using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;

namespace PaperGao.Functions.Cron;

/// <summary>GET /api/crons and POST /api/crons/{id} (superusers; PocketBase 0.39's shapes): list the jobs, run one now.</summary>
public static class CronsApi
{
    public static void Map(IEndpointRouteBuilder app, FunctionsRuntime runtime)
    {
        app.MapGet("/api/crons", (HttpContext ctx) => ListAsync(ctx, runtime)).WithTags("Crons").WithName("ListCrons").WithSummary("The cron jobs of the project's functions: [{id, expression}].");
        app.MapPost("/api/crons/{id}", (HttpContext ctx, string id) => RunAsync(ctx, runtime, id)).WithTags("Crons").WithName("RunCron").WithSummary("Start a cron job now (204; it runs in the background).");
    }

    private static Task ListAsync(HttpContext ctx, FunctionsRuntime runtime)
    {
        ctx.RequireSuperuser();
        var jobs = runtime.For(ctx.Project())?.CronJobs ?? [];
        var list = new JsonArray([.. jobs.OrderBy(j => j.Job.Key, StringComparer.Ordinal)
            .Select(j => (JsonNode?)new JsonObject { ["id"] = j.Job.Key, ["expression"] = j.Job.Path })]);
        return JsonResponse.WriteNodeAsync(ctx, list);
    }

    private static Task RunAsync(HttpContext ctx, FunctionsRuntime runtime, string id)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var state = runtime.StateOf(project);
        var set = state?.Functions.Current;
        var job = state?.Functions.CronJobs.FirstOrDefault(j => j.Job.Key == id);
        if (state is null || set is null || job is not { Job: not null } found) throw ApiError.NotFound("Missing or invalid cron job.");
        var st = state.Crons.GetOrAdd(id, _ => new CronJobState { Expression = found.Job.Path, Next = CronSchedule.Next(found.Job.Path, runtime.Time.GetUtcNow().UtcDateTime) });
        CronRunner.Start(runtime, state, set, found.Index, found.Job, st, CancellationToken.None);
        JsonResponse.NoContent(ctx);
        return Task.CompletedTask;
    }
}
