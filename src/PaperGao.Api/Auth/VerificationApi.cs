using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /request-verification and /confirm-verification (protocol.md §5.9). The request answers 204 whether or not
/// the email exists or is already verified; the mail is built and sent off the request path.
/// </summary>
public static class VerificationApi
{
    public static IEndpointRouteBuilder MapVerificationApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/request-verification", RequestAsync)
            .WithTags("Auth").WithName("RequestVerification").WithSummary("Emails a verification link to an unverified record.");
        app.MapPost("/api/collections/{collection}/confirm-verification", ConfirmAsync)
            .WithTags("Auth").WithName("ConfirmVerification").WithSummary("Marks the record of a verification token as verified.");
        return app;
    }

    private static async Task RequestAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        var c = AuthResponse.AuthCollection(project, collection);
        if (c.Name == ProjectInitializer.SuperusersName) throw ApiError.BadRequest("All superusers are verified by default.");
        var record = await EmailFlows.FindRequestedRecordAsync(ctx, project, c);
        var now = ctx.UtcNow(); // read now: the mail is built after the request ended
        if (record is not null && !record.GetBool("verified") && await MailThrottle.TryTakeAsync(project, c.Id, record.Id, "verification", now, ctx.RequestAborted))
        {
            EmailFlows.SendInBackground(ctx, project, "verification", MailerEvent.Verification, record, _ =>
            {
                var token = AuthTokens.NewVerificationToken(record, now);
                var to = record.GetString("email");
                return Task.FromResult<MailMessage?>(MailTemplates.Render(c.Auth!, MailTemplates.Verification, EmailFlows.Values(project, record, token), to));
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
        EmailFlows.ThrowIfInvalid(errors);

        var (record, _) = await EmailFlows.CheckTokenAsync(project, c, token, AuthTokens.Verification, ctx.UtcNow(), ctx.RequestAborted);
        if (!record.GetBool("verified"))
            await RecordWriter.UpdateAsync(project, c, record.Id, new JsonObject { ["verified"] = true }, EmailFlows.System, ct: ctx.RequestAborted);
        JsonResponse.NoContent(ctx);
    }
}
