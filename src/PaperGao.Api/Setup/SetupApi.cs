using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Auth;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Setup;

/// <summary>
/// POST /api/setup {token, email, password, passwordConfirm}: creates the first superuser of the default project with
/// the one-time token <c>serve</c> printed, and answers the superuser auth response (protocol.md §5.1) so the
/// dashboard is signed in at once. Refused when a superuser exists (403) or the token is wrong, expired or used (400).
/// </summary>
public static class SetupApi
{
    public static IEndpointRouteBuilder MapSetupApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/setup", (Func<HttpContext, Task>)HandleAsync).WithTags("Setup").WithName("FirstRunSetup")
            .WithSummary("Create the first superuser with the one-time setup token printed by serve; answers {token, record} like a superuser sign-in.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx)
    {
        var project = ctx.Project();
        if (project.Name != ProjectNames.Default) throw ApiError.NotFound();
        var body = await RequestBody.ReadObjectAsync(ctx);
        var errors = new ErrorData();
        var token = BodyFields.Str(body, "token", errors, required: true);
        var setup = ctx.RequestServices.GetRequiredService<FirstRunSetup>();
        await setup.Gate.WaitAsync(ctx.RequestAborted);
        Record record;
        try
        {
            if (await FirstRunSetup.HasSuperuserAsync(project, ctx.RequestAborted))
                throw ApiError.Forbidden("The setup is already done: a superuser exists. Sign in instead.");
            if (errors.IsEmpty && !setup.IsValid(token))
                errors.Add("token", new FieldError("validation_invalid_token", "The setup token is invalid, expired or already used."));
            if (!errors.IsEmpty) throw ApiError.BadRequest("Failed to create the first superuser.", errors);
            var c = project.Collections.FindByName(ProjectInitializer.SuperusersName)!;
            var input = new JsonObject { ["email"] = body["email"]?.DeepClone(), ["password"] = body["password"]?.DeepClone(), ["passwordConfirm"] = body["passwordConfirm"]?.DeepClone() };
            record = await RecordWriter.CreateAsync(project, c, input, new RequestInfo { IsSuperuser = true, Method = "POST", Context = "setup" }, ct: ctx.RequestAborted);
            setup.Spend();
        }
        finally
        {
            setup.Gate.Release();
        }
        await AuthResponse.WriteAsync(ctx, project, record, AuthTokens.NewAuthToken(record, ctx.UtcNow()), context: "setup");
    }
}
