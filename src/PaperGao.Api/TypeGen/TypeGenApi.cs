using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.TypeGen;

namespace PaperGao.Api.TypeGen;

/// <summary>GET /api/typegen?lang=ts|cs[&amp;namespace=...]: the project's collections as TypeScript or C# types (superusers only; docs/sdks.md).</summary>
public static class TypeGenApi
{
    public static IEndpointRouteBuilder MapTypeGenApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/typegen", (Func<HttpContext, Task>)GenerateAsync).WithTags("Docs").WithName("TypeGen")
            .WithSummary("The collections of the project as TypeScript types for the pocketbase JS SDK (lang=ts) or C# records for PaperGao.Client (lang=cs, namespace=...). Superusers only.");
        return app;
    }

    private static async Task GenerateAsync(HttpContext ctx)
    {
        ctx.RequireSuperuser();
        var query = ctx.Request.Query;
        var errors = new ErrorData();
        var lang = query["lang"].FirstOrDefault();
        if (!TypeGenLanguages.TryParse(string.IsNullOrEmpty(lang) ? "ts" : lang, out var language))
            errors.Add("lang", new FieldError("validation_invalid_value", "Must be one of: " + TypeGenLanguages.Accepted + "."));
        var ns = query["namespace"].FirstOrDefault();
        if (ns is not null && !TypeGenOptions.IsValidNamespace(ns))
            errors.Add("namespace", new FieldError("validation_invalid_value", "Must be a dotted C# identifier like MyApp.Models."));
        if (!errors.IsEmpty) throw ApiError.BadRequest("Invalid type generation parameters.", errors);
        var project = ctx.Project();
        var options = new TypeGenOptions { Project = project.Name, Namespace = ns ?? new TypeGenOptions().Namespace };
        var text = TypeGenLanguages.Generate(language, project.Collections.All, options);
        ctx.Response.ContentType = TypeGenLanguages.ContentType(language);
        ctx.Response.Headers.CacheControl = "no-store";
        await ctx.Response.WriteAsync(text, ctx.RequestAborted);
    }
}
