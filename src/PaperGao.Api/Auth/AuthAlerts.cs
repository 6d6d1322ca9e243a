using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.RateLimits;
using PaperGao.Core.Collections;
using PaperGao.Core.Data;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// New-login alerts (protocol.md §4.3 authAlert, §5.1). After a successful auth-with-password, auth-with-otp or
/// auth-with-oauth2 (never auth-refresh or impersonate), the client's fingerprint — hex SHA-256 of
/// "{user agent}\n{client IP}" (the IP as the rate limiter resolves it, trustedProxy aware) — is looked up in
/// _authOrigins for (collection, record). An unknown fingerprint is stored; when the record already had another
/// origin (so a first sign-in never alerts) and the collection's authAlert.enabled is true, the authAlert email is
/// sent off the request path. Nothing here can fail a sign-in: errors are logged without secrets. A password change
/// (update or reset) deletes the record's origins, so the next sign-in from anywhere is "new".
/// </summary>
public static class AuthAlerts
{
    private static readonly string[] SignInEndpoints = ["/auth-with-password", "/auth-with-otp", "/auth-with-oauth2"];
    private static readonly ConditionalWeakTable<Project, object> Bound = [];

    public static async Task OnSignInAsync(HttpContext ctx, Project project, Record record)
    {
        var path = ctx.Request.Path.Value ?? "";
        if (!SignInEndpoints.Any(e => path.TrimEnd('/').EndsWith(e, StringComparison.OrdinalIgnoreCase))) return;
        EnsurePasswordHook(project);
        var log = ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao.AuthAlerts");
        try
        {
            var userAgent = ctx.Request.Headers.UserAgent.ToString();
            var ip = ClientIp.Resolve(ctx.Connection.RemoteIpAddress, ctx.Request.Headers, RateLimiting.SettingsOf(project.Settings));
            var fingerprint = Fingerprint(userAgent, ip);
            var hadOrigins = await StoreAsync(project, record, fingerprint, ctx.RequestAborted);
            if (hadOrigins is not true || !Enabled(record.Collection.Auth)) return;
            var email = record.GetString("email");
            if (email.Length == 0 || !ctx.RequestServices.GetRequiredService<IMailer>().CanSend(project.Settings)) return;
            var info = string.Create(CultureInfo.InvariantCulture, $"{ctx.UtcNow().UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC - {ip} {userAgent}");
            var auth = record.Collection.Auth!;
            var values = new MailTemplates.Values(project.Settings.Meta.AppName, project.Settings.Meta.AppUrl, record, AlertInfo: info);
            EmailFlows.SendInBackground(ctx, project, "new-login alert", MailerEvent.AuthAlert, record, _ => Task.FromResult<MailMessage?>(MailTemplates.Render(auth, MailTemplates.AuthAlert, values, email)));
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // an alert problem never fails the sign-in
        catch (Exception ex)
#pragma warning restore CA1031
        {
            log.LogWarning("Project {Project}: the sign-in origin was not recorded: {Error}", project.Name, ex.GetType().Name);
        }
    }

    /// <summary>Hex SHA-256 of the user agent and the client IP.</summary>
    public static string Fingerprint(string userAgent, string ip) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(userAgent + "\n" + ip)));

    private static bool Enabled(AuthOptions? auth) =>
        auth?.Extra[MailTemplates.AuthAlert] is not JsonObject o || o["enabled"] is not JsonValue v || !v.TryGetValue<bool>(out var b) || b;

    /// <summary>
    /// Stores the origin when unknown. Returns null when it was known, otherwise whether the record had other origins.
    /// </summary>
    private static async Task<bool?> StoreAsync(Project project, Record record, string fingerprint, CancellationToken ct)
    {
        var origins = project.Collections.Find(SystemCollections.AuthOrigins);
        if (origins is null) return null;
        var d = project.Dialect;
        var (known, others) = await project.Database.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            var sql = $"SELECT COUNT(*), COALESCE(SUM(CASE WHEN {d.Quote("fingerprint")} = {p.Add(fingerprint)} THEN 1 ELSE 0 END), 0) FROM {d.Quote(origins.Name)} "
                + $"WHERE {d.Quote("collectionRef")} = {p.Add(record.Collection.Id)} AND {d.Quote("recordRef")} = {p.Add(record.Id)}";
            await using var cmd = project.Database.Command(conn, null, sql, p);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            var all = Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture);
            var same = Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture);
            return (same > 0, all - same);
        }, ct);
        if (known) return null;
        var body = new JsonObject { ["collectionRef"] = record.Collection.Id, ["recordRef"] = record.Id, ["fingerprint"] = fingerprint };
        try
        {
            await RecordWriter.CreateAsync(project, origins, body, EmailFlows.System, ct: ct);
        }
        catch (Core.Common.ApiError)
        {
            return null; // a concurrent sign-in from the same client stored it first (unique index)
        }
        return others > 0;
    }

    /// <summary>Binds (once per project) the hook that forgets a record's origins when its password changes.</summary>
    private static void EnsurePasswordHook(Project project)
    {
        var added = false;
        Bound.GetValue(project, _ =>
        {
            added = true;
            return new object();
        });
        if (!added) return;
        project.Hooks.AfterUpdate.Bind(async (e, next) =>
        {
            await next();
            if (!e.Collection.IsAuth || e.Original is null) return;
            if (string.Equals(e.Original.GetString("password"), e.Record.GetString("password"), StringComparison.Ordinal)) return;
            await ForgetAsync(e.Project, e.Collection.Id, e.Record.Id);
        });
    }

    private static async Task ForgetAsync(Project project, string collectionId, string recordId)
    {
        if (project.Collections.Find(SystemCollections.AuthOrigins) is not { } origins) return;
        var d = project.Dialect;
        await project.Database.WriteAsync(async tx =>
        {
            var p = new SqlParams();
            await project.Database.ExecuteAsync(tx,
                $"DELETE FROM {d.Quote(origins.Name)} WHERE {d.Quote("collectionRef")} = {p.Add(collectionId)} AND {d.Quote("recordRef")} = {p.Add(recordId)}", p);
        });
    }
}
