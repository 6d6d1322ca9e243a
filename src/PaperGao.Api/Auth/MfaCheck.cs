using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// Multi-factor authentication (protocol.md §5.7): when the collection's mfa is enabled (and its rule, if any, matches
/// the record), a first successful method answers 401 {"mfaId"} and records an _mfas session; a second, different
/// method that presents the mfaId (query or body) completes the sign-in and ends the session.
/// </summary>
public static class MfaCheck
{
    /// <summary>
    /// True when the caller must stop: the 401 {"mfaId"} answer has been written. False when the sign-in may go on
    /// (MFA off, not required for this record, or the second factor completed). Bad sessions throw 400.
    /// </summary>
    public static async Task<bool> RequireSecondFactorAsync(HttpContext ctx, Project project, Record record, string method, string? bodyMfaId)
    {
        var options = MfaOptions.From(record.Collection.Auth!);
        if (!options.Enabled) return false;
        var ct = ctx.RequestAborted;
        if (options.Rule.Trim().Length > 0)
        {
            var req = new RequestInfo { Auth = record, Method = ctx.Request.Method, Context = method };
            var applies = await project.Database.ReadAsync(conn => RecordWriter.MatchesRuleAsync(project, conn, null, record.Collection, options.Rule, record.Id, req, ct), ct);
            if (!applies) return false;
        }
        var mfas = project.Collections.FindByName(SystemCollections.Mfas) ?? throw new InvalidOperationException("The _mfas system collection is missing.");
        var system = new RequestInfo { IsSuperuser = true, Context = method };
        var mfaId = ctx.Request.Query["mfaId"].FirstOrDefault();
        if (string.IsNullOrEmpty(mfaId)) mfaId = bodyMfaId;
        if (string.IsNullOrEmpty(mfaId))
        {
            var session = await RecordWriter.CreateAsync(project, mfas, new JsonObject
            {
                ["collectionRef"] = record.Collection.Id,
                ["recordRef"] = record.Id,
                ["method"] = method,
            }, system, ct: ct);
            // Not the error envelope: the SDKs read response.mfaId (protocol.md §5.7). Never filtered by ?fields.
            ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(new JsonObject { ["mfaId"] = session.Id }.ToJsonString() + "\n", ct);
            return true;
        }

        var found = await project.Database.ReadAsync(conn => RecordSql.FindByIdAsync(project.Database, conn, null, mfas, mfaId, ct), ct);
        if (found is null || IsExpired(found, options.Duration, ctx.UtcNow())) throw ApiError.BadRequest("Invalid or expired MFA session.");
        if (found.GetString("recordRef") != record.Id || found.GetString("collectionRef") != record.Collection.Id)
            throw ApiError.BadRequest("Invalid MFA session.");
        if (found.GetString("method") == method) throw ApiError.BadRequest("A different authentication method is required.");
        // One use only, even under concurrent attempts: the session counts only if this request deleted it.
        var deleted = await project.Database.WriteAsync(async tx =>
        {
            var p = new SqlParams();
            return await project.Database.ExecuteAsync(tx, $"DELETE FROM {project.Dialect.Quote(mfas.Name)} WHERE {project.Dialect.Quote("id")} = {p.Add(mfaId)}", p, ct);
        }, ct);
        if (deleted != 1) throw ApiError.BadRequest("Invalid or expired MFA session.");
        return false;
    }

    /// <summary>The mfaId a client may send in the body instead of the query.</summary>
    public static string? BodyMfaId(JsonObject body) => body["mfaId"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static bool IsExpired(Record session, long durationSeconds, DateTimeOffset now) =>
        !DateTimes.TryParse(session.GetString("created"), out var created)
        || created.AddSeconds(durationSeconds) < now;
}
