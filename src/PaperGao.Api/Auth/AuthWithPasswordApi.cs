using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

using PaperGao.Core.Hooks;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /api/collections/{c}/auth-with-password (protocol.md §5.4). Unknown identity and wrong password take the
/// same time and give the same answer (a dummy bcrypt check runs when no record matches).
/// </summary>
public static class AuthWithPasswordApi
{
    public static IEndpointRouteBuilder MapAuthWithPasswordApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/auth-with-password", HandleAsync)
            .WithTags("Auth").WithName("AuthWithPassword").WithSummary("Sign in with an identity (email by default) and a password.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        var auth = c.Auth!;
        if (!auth.PasswordAuthEnabled) throw ApiError.Forbidden("The collection is not configured to allow password authentication.");
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var identity = BodyFields.Str(body, "identity", errors, required: true);
        var password = BodyFields.Str(body, "password", errors, required: true);
        var identityField = BodyFields.Str(body, "identityField", errors, required: false);
        if (identityField.Length > 0 && !auth.IdentityFields.Contains(identityField))
            errors.Add("identityField", new FieldError("validation_in_invalid", "Must be one of the collection's identity fields."));
        if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);

        var fields = identityField.Length > 0 ? [identityField] : auth.IdentityFields.OrderBy(f => f == "email" ? 0 : 1).ToList();
        Record? record = null;
        foreach (var f in fields)
        {
            if (f == "email" && !identity.Contains('@', StringComparison.Ordinal)) continue;
            if (c.FindField(f) is null) continue;
            record = await FindByIdentityAsync(project, c, f, identity, ctx.RequestAborted);
            if (record is not null) break;
        }
        if (project.Hooks.AuthWithPasswordRequest.HasHandlers)
        {
            // onRecordAuthWithPasswordRequest: e.record is the record the identity names (null when none); next() checks the password.
            var e = new RecordRequestEvent(project, c, ctx.RequestInfo(), ctx) { Record = record, Body = body, AuthMethod = "password" };
            await Records.RecordRequestHooks.RunAsync(ctx, project.Hooks.AuthWithPasswordRequest, e, () => SignInAsync(ctx, project, c, e.Record, password, body));
            return;
        }
        await SignInAsync(ctx, project, c, record, password, body);
    }

    private static async Task SignInAsync(HttpContext ctx, Project project, Collection c, Record? record, string password, System.Text.Json.Nodes.JsonObject body)
    {
        var ok = await PasswordHasher.VerifyAsync(password, record?.GetString("password"), ctx.RequestAborted);
        if (!ok || record is null) throw ApiError.BadRequest("Failed to authenticate.");
        await RehashIfWeakAsync(project, c, record, password, ctx.RequestAborted);
        await AuthResponse.WriteAsync(ctx, project, record, AuthTokens.NewAuthToken(record, ctx.UtcNow()), mfaMethod: "password", mfaId: MfaCheck.BodyMfaId(body));
    }

    /// <summary>
    /// A hash made with a lower cost than the field's (imported from PocketBase, or the cost was raised) is replaced
    /// after a successful sign-in. A small dedicated UPDATE (no hooks, no tokenKey change: the password is the same),
    /// guarded by the old hash so a concurrent password change wins.
    /// </summary>
    private static async Task RehashIfWeakAsync(Project project, Collection c, Record record, string password, CancellationToken ct)
    {
        var field = c.Fields.OfType<Core.Collections.Fields.PasswordField>().FirstOrDefault(f => f.Name == "password");
        var oldHash = record.GetString("password");
        if (field is null || !PasswordHasher.NeedsRehash(oldHash, field.EffectiveCost)) return;
        var newHash = await PasswordHasher.HashAsync(password, field.EffectiveCost, ct);
        var d = project.Dialect;
        var p = new SqlParams();
        var sql = $"UPDATE {d.Quote(c.Name)} SET {d.Quote("password")} = {p.Add(newHash)} WHERE {d.Quote("id")} = {p.Add(record.Id)} AND {d.Quote("password")} = {p.Add(oldHash)}";
        await project.Database.WriteAsync(tx => project.Database.ExecuteAsync(tx, sql, p, ct), ct);
        record.Values["password"] = newHash;
    }

    private static Task<Record?> FindByIdentityAsync(Project project, Collection c, string field, string value, CancellationToken ct) =>
        project.Database.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            var d = project.Dialect;
            // Emails are one identity whatever their case (answered by the email index on both databases).
            var where = field == "email"
                ? d.EqualsNoCase($"t.{d.Quote(field)}", p.Add(value), nonEmpty: true)
                : $"t.{d.Quote(field)} = {p.Add(value)}";
            var sql = $"SELECT {RecordSql.SelectList(c, d)} FROM {d.Quote(c.Name)} AS t WHERE {where} LIMIT 1";
            await using var cmd = project.Database.Command(conn, null, sql, p);
            var list = await RecordSql.ReadAllAsync(c, cmd, ct);
            return list.Count > 0 ? list[0] : null;
        }, ct);
}
