using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Mail;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Auth;

/// <summary>
/// POST /api/settings/test/email {email, template, collection} (protocol.md §8, superusers): renders one of the
/// collection's templates with sample values and sends it now, so SMTP errors are reported (400) to the caller.
/// </summary>
public static class TestEmailApi
{
    private static readonly Dictionary<string, string> Templates = new(StringComparer.Ordinal)
    {
        ["verification"] = MailTemplates.Verification,
        ["password-reset"] = MailTemplates.ResetPassword,
        ["email-change"] = MailTemplates.ConfirmEmailChange,
        ["otp"] = MailTemplates.Otp,
        ["login-alert"] = MailTemplates.AuthAlert,
    };

    public static IEndpointRouteBuilder MapTestEmailApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/settings/test/email", (Func<HttpContext, Task>)HandleAsync)
            .WithTags("Settings").WithName("TestEmail").WithSummary("Sends a test email with one of a collection's templates.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var project = ctx.Project();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var email = EmailFlows.Email(body, "email", errors);
        var template = BodyFields.Str(body, "template", errors, required: true);
        var collection = BodyFields.Str(body, "collection", errors, required: false);
        if (!errors.Contains("template") && !Templates.ContainsKey(template))
            errors.Add("template", new FieldError("validation_in_invalid", "Must be one of: " + string.Join(", ", Templates.Keys) + "."));
        var c = project.Collections.Find(collection.Length > 0 ? collection : ProjectInitializer.SuperusersName);
        if (!errors.Contains("collection") && c is not { IsAuth: true })
            errors.Add("collection", new FieldError("validation_invalid_collection", "Must be an auth collection."));
        EmailFlows.ThrowIfInvalid(errors);

        var sample = new Record(c!);
        sample.Values["id"] = "test_record_id";
        sample.Values["email"] = email;
        var values = new MailTemplates.Values(project.Settings.Meta.AppName, project.Settings.Meta.AppUrl, sample,
            Token: "test_token", Otp: "123456", OtpId: "test_otp_id", AlertInfo: "test alert info");
        var message = MailTemplates.Render(c!.Auth!, Templates[template], values, email);
        try
        {
            await ctx.RequestServices.GetRequiredService<IMailer>().SendAsync(project.Settings, message, ctx.RequestAborted);
        }
        catch (MailException ex)
        {
            throw ApiError.BadRequest("Failed to send the test email.", new ErrorData().Add("email", new FieldError("validation_send_failed", ex.Message)));
        }
        JsonResponse.NoContent(ctx);
    }
}
