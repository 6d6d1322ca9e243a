using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /request-email-change (signed in, same collection) and /confirm-email-change (protocol.md §5.9). The link goes
/// to the new address; confirming needs the record's password, sets email + verified and rotates tokenKey.
/// </summary>
public static class EmailChangeApi
{
    public static IEndpointRouteBuilder MapEmailChangeApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/request-email-change", RequestAsync)
            .WithTags("Auth").WithName("RequestEmailChange").WithSummary("Emails a confirmation link to the new address of the signed-in record.");
        app.MapPost("/api/collections/{collection}/confirm-email-change", ConfirmAsync)
            .WithTags("Auth").WithName("ConfirmEmailChange").WithSummary("Changes the email with an email change token and the record's password.");
        return app;
    }

    private static async Task RequestAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var (c, auth) = AuthResponse.SameCollectionAuth(ctx, project, collection);
        if (c.Name == ProjectInitializer.SuperusersName) throw ApiError.BadRequest("Superusers can change their email directly.");
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var newEmail = EmailFlows.Email(body, "newEmail", errors);
        if (!errors.Contains("newEmail") && !await IsFreeAsync(project, c, newEmail, ctx.RequestAborted))
            errors.Add("newEmail", new FieldError("validation_invalid_new_email", "Invalid new email address."));
        EmailFlows.ThrowIfInvalid(errors);

        var now = ctx.UtcNow(); // read now: the mail is built after the request ended
        EmailFlows.SendInBackground(ctx, project, "email change", MailerEvent.EmailChange, auth, _ =>
        {
            var token = AuthTokens.NewEmailChangeToken(auth, newEmail, now);
            return Task.FromResult<MailMessage?>(MailTemplates.Render(c.Auth!, MailTemplates.ConfirmEmailChange, EmailFlows.Values(project, auth, token), newEmail));
        });
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
        EmailFlows.ThrowIfInvalid(errors);

        // As PocketBase: a readable token without a new email (e.g. an auth token) is a payload error, checked first.
        if (Jwt.ReadUnverified(token) is { } unverified && string.IsNullOrEmpty(unverified.NewEmail))
            throw TokenError("validation_invalid_token_payload", "Invalid token payload - newEmail must be set.");
        var (record, claims) = await EmailFlows.CheckTokenAsync(project, c, token, AuthTokens.EmailChange, ctx.UtcNow(), ctx.RequestAborted);
        if (!EmailField.IsEmail(claims.NewEmail)) throw TokenError("validation_invalid_token_claims", "The token has no valid new email.");
        if (!await PasswordHasher.VerifyAsync(password, record.GetString("password"), ctx.RequestAborted))
        {
            throw ApiError.BadRequest("An error occurred while validating the submitted data.",
                new ErrorData().Add("password", new FieldError("validation_invalid_password", "Missing or invalid auth record password.")));
        }
        if (!await IsFreeAsync(project, c, claims.NewEmail, ctx.RequestAborted))
            throw TokenError("validation_invalid_new_email", "The new email address is already in use.");
        await RecordWriter.UpdateAsync(project, c, record.Id, new JsonObject { ["email"] = claims.NewEmail, ["verified"] = true }, EmailFlows.System, ct: ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }

    private static ApiError TokenError(string code, string message) =>
        ApiError.BadRequest("An error occurred while validating the submitted data.", new ErrorData().Add("token", new FieldError(code, message)));

    /// <summary>No record of the collection (the caller included: the new email must differ) uses that email.</summary>
    private static async Task<bool> IsFreeAsync(Project project, Collection c, string email, CancellationToken ct) =>
        await EmailFlows.FindByEmailAsync(project, c, email, ct) is null;
}
