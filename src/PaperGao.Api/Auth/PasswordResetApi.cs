using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /request-password-reset and /confirm-password-reset (protocol.md §5.9). The request answers 204 whether
/// or not the email exists. Confirming sets the password, which rotates tokenKey: every older token of the record dies.
/// </summary>
public static class PasswordResetApi
{
    public static IEndpointRouteBuilder MapPasswordResetApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/request-password-reset", RequestAsync)
            .WithTags("Auth").WithName("RequestPasswordReset").WithSummary("Emails a password reset link.");
        app.MapPost("/api/collections/{collection}/confirm-password-reset", ConfirmAsync)
            .WithTags("Auth").WithName("ConfirmPasswordReset").WithSummary("Sets a new password with a password reset token.");
        return app;
    }

    private static async Task RequestAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        if (!c.Auth!.PasswordAuthEnabled) throw ApiError.BadRequest("The collection is not configured to allow password authentication.");
        var record = await EmailFlows.FindRequestedRecordAsync(ctx, project, c);
        var now = ctx.UtcNow(); // read now: the mail is built after the request ended
        if (record is not null && await MailThrottle.TryTakeAsync(project, c.Id, record.Id, "passwordReset", now, ctx.RequestAborted))
        {
            EmailFlows.SendInBackground(ctx, project, "password reset", MailerEvent.PasswordReset, record, _ =>
            {
                var token = AuthTokens.NewPasswordResetToken(record, now);
                return Task.FromResult<MailMessage?>(MailTemplates.Render(c.Auth!, MailTemplates.ResetPassword, EmailFlows.Values(project, record, token), record.GetString("email")));
            });
        }
        JsonResponse.NoContent(ctx);
    }

    private static async Task ConfirmAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var token = BodyFields.Str(body, "token", errors, required: true, max: 4096);
        var password = BodyFields.Str(body, "password", errors, required: true, max: 1024);
        var confirm = BodyFields.Str(body, "passwordConfirm", errors, required: true, max: 1024);
        if (!errors.Contains("password") && c.Fields.OfType<Core.Collections.Fields.PasswordField>().FirstOrDefault() is { } pf)
        {
            var length = password.EnumerateRunes().Count();
            if (length < Math.Max(pf.Min, 1) || length > pf.EffectiveMax)
                errors.Add("password", new FieldError("validation_length_out_of_range", $"The length must be between {Math.Max(pf.Min, 1)} and {pf.EffectiveMax}."));
        }
        if (!errors.Contains("passwordConfirm") && password != confirm)
            errors.Add("passwordConfirm", new FieldError("validation_values_mismatch", "Values don't match."));
        // As PocketBase's form: the token's error is reported together with the others.
        (Record Record, TokenClaims Claims)? checkedToken = null;
        if (!errors.Contains("token"))
        {
            try { checkedToken = await EmailFlows.CheckTokenAsync(project, c, token, AuthTokens.PasswordReset, ctx.UtcNow(), ctx.RequestAborted); }
            catch (ApiError e) when (!errors.IsEmpty && e.Status == 400 && e.Details["token"] is FieldError tokenError) { errors.Add("token", tokenError); }
        }
        EmailFlows.ThrowIfInvalid(errors);

        var (record, claims) = checkedToken!.Value;
        var update = new JsonObject { ["password"] = password, ["passwordConfirm"] = confirm };
        // The mail reached the record's inbox: that proves the address too.
        if (!record.GetBool("verified") && string.Equals(claims.Email, record.GetString("email"), StringComparison.OrdinalIgnoreCase)) update["verified"] = true;
        await RecordWriter.UpdateAsync(project, c, record.Id, update, EmailFlows.System, ct: ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }
}
