using System.Text.Json.Nodes;
using PaperGao.Api.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// What the email-based auth flows share: record look-up by email, the system update (as superuser, through the
/// one write pipeline so hooks and tokenKey rotation apply), email token checks with per-code data.token errors,
/// and sending off the request path (a failed send is logged without secrets and never reaches the caller).
/// </summary>
public static class EmailFlows
{
    /// <summary>The request info of writes the server does on a record's behalf (verified, password, email).</summary>
    public static RequestInfo System { get; } = new() { IsSuperuser = true, Method = "POST" };

    public static Task<Record?> FindByEmailAsync(Project project, Collection c, string email, CancellationToken ct) =>
        project.Database.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            var d = project.Dialect;
            var sql = $"SELECT {RecordSql.SelectList(c, d)} FROM {d.Quote(c.Name)} AS t WHERE {d.EqualsNoCase($"t.{d.Quote("email")}", p.Add(email.Trim()), nonEmpty: true)} LIMIT 1";
            await using var cmd = project.Database.Command(conn, null, sql, p);
            var list = await RecordSql.ReadAllAsync(c, cmd, ct);
            return list.Count > 0 ? list[0] : null;
        }, ct);

    /// <summary>
    /// The shared start of request-verification, request-password-reset and request-otp: read {"email"} from the body
    /// (400 when it is not an email) and find the record that has it, or null — callers answer the same either way.
    /// </summary>
    public static async Task<Record?> FindRequestedRecordAsync(HttpContext ctx, Project project, Collection c)
    {
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var email = Email(body, "email", errors);
        ThrowIfInvalid(errors);
        return await FindByEmailAsync(project, c, email, ctx.RequestAborted);
    }

    public static Task<Record?> FindByIdAsync(Project project, Collection c, string id, CancellationToken ct) =>
        project.Database.ReadAsync(conn => RecordSql.FindByIdAsync(project.Database, conn, null, c, id, ct), ct);

    /// <summary>A string body value: a non-string is a validation error, a missing one is "".</summary>
    /// <summary>A required email body value in a valid format.</summary>
    public static string Email(JsonObject body, string key, ErrorData errors)
    {
        var s = BodyFields.Str(body, key, errors, required: true).Trim();
        if (!errors.Contains(key) && !EmailField.IsEmail(s)) errors.Add(key, new FieldError("validation_is_email", "Must be a valid email address."));
        return s;
    }

    public static void ThrowIfInvalid(ErrorData errors)
    {
        if (!errors.IsEmpty) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
    }

    /// <summary>
    /// Checks an email token (protocol.md §5.2, §5.9) for the collection and returns its record and claims.
    /// Every failure is 400 with data.token: invalid token, other collection, or (verification, reset) another email.
    /// </summary>
    public static async Task<(Record Record, TokenClaims Claims)> CheckTokenAsync(Project project, Collection c, string token, string type, DateTimeOffset now, CancellationToken ct)
    {
        static ApiError Bad(string code, string message) =>
            ApiError.BadRequest("An error occurred while validating the submitted data.", new ErrorData().Add("token", new FieldError(code, message)));

        var claims = Jwt.ReadUnverified(token);
        if (claims is null || claims.Id.Length == 0 || claims.CollectionId.Length == 0 || claims.Type != type)
            throw Bad("validation_invalid_token", "Invalid or expired token.");
        if (claims.CollectionId != c.Id) throw Bad("validation_token_collection_mismatch", "The provided token is for a different collection.");
        var record = await FindByIdAsync(project, c, claims.Id, ct);
        if (record is null || !AuthTokens.Verify(token, record, type, now)) throw Bad("validation_invalid_token", "Invalid or expired token.");
        if (type != AuthTokens.EmailChange && !string.Equals(claims.Email, record.GetString("email"), StringComparison.OrdinalIgnoreCase))
            throw Bad("validation_token_email_mismatch", "The token was issued for a different email address.");
        return (record, claims);
    }

    public static MailTemplates.Values Values(Project project, Record? record, string token = "", string otp = "", string otpId = "") =>
        new(project.Settings.Meta.AppName, project.Settings.Meta.AppUrl, record, token, otp, otpId);

    /// <summary>
    /// Runs work (which builds the message, or returns null to send nothing) and sends its mail off the request path.
    /// Nothing of it reaches the caller: a failure is logged (kind and error only: no token, password or address).
    /// The mailer hooks run around the send (MailerRecordSend for <paramref name="hookKind"/> about <paramref name="record"/>,
    /// then MailerSend): they may change the message or send nothing.
    /// </summary>
    public static void SendInBackground(HttpContext ctx, Project project, string kind, string hookKind, Record? record, Func<CancellationToken, Task<MailMessage?>> build)
    {
        var mailer = ctx.RequestServices.GetRequiredService<IMailer>();
        var log = ctx.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("PaperGao.Mail");
        var projectName = project.Name;
        _ = Task.Run(async () =>
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
                var message = await build(cts.Token);
                if (message is null) return;
                var e = new MailerEvent(hookKind, record, message);
                var hooks = project.Hooks;
                await hooks.MailerRecordSend.TriggerAsync(e, () => hooks.MailerSend.TriggerAsync(e, () => mailer.SendAsync(project.Settings, e.Message, cts.Token)));
            }
#pragma warning disable CA1031 // background work: any failure is logged, none may end the process
            catch (Exception ex)
#pragma warning restore CA1031
            {
                log.LogWarning("Project {Project}: the {Kind} email was not sent: {Error}", projectName, kind, ex is MailException ? ex.Message : ex.GetType().Name);
            }
        });
    }
}
