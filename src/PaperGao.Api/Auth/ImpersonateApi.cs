using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /api/collections/{c}/impersonate/{id} (protocol.md §5.10): superusers only. Answers §5.1 with a
/// non-refreshable token for the target record (auth-refresh with it returns the same token).
/// </summary>
public static class ImpersonateApi
{
    /// <summary>The longest impersonation a superuser may ask for (1 year, like a long-lived API token).</summary>
    public const long MaxDurationSeconds = 365L * 24 * 3600;

    public static IEndpointRouteBuilder MapImpersonateApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/impersonate/{id}", HandleAsync)
            .WithTags("Auth").WithName("Impersonate").WithSummary("Superusers only: a non-refreshable auth token for another auth record.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx, string collection, string id)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        var body = await RequestBody.ReadObjectAsync(ctx);
        long duration = 0;
        if (body["duration"] is { } node)
        {
            if (node is not JsonValue v || !TryGetSeconds(v, out duration) || duration < 0 || duration > MaxDurationSeconds)
            {
                var errors = new ErrorData();
                errors.Add("duration", new FieldError("validation_invalid_value", $"Must be a number of seconds between 0 and {MaxDurationSeconds}."));
                throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
            }
        }
        var record = await project.Database.ReadAsync(conn => RecordSql.FindByIdAsync(project.Database, conn, null, c, id, ctx.RequestAborted), ctx.RequestAborted)
            ?? throw ApiError.NotFound();
        await AuthResponse.WriteAsync(ctx, project, record, AuthTokens.NewAuthToken(record, ctx.UtcNow(), refreshable: false, durationSeconds: duration));
    }

    private static bool TryGetSeconds(JsonValue v, out long seconds)
    {
        seconds = 0;
        if (v.TryGetValue<long>(out seconds)) return true;
        if (v.TryGetValue<double>(out var d) && double.IsFinite(d) && d >= 0 && d <= MaxDurationSeconds) { seconds = (long)d; return true; }
        if (v.TryGetValue<string>(out var s) && long.TryParse(s, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out seconds)) return true;
        return false;
    }
}
