using Microsoft.AspNetCore.Http;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Api.Infrastructure;

/// <summary>Per-request state set by the middleware: the project and the caller's auth.</summary>
public static class ApiContext
{
    private const string ProjectKey = "pg.project";
    private const string AuthKey = "pg.auth";

    public static void SetProject(HttpContext ctx, Project project) => ctx.Items[ProjectKey] = project;

    public static Project Project(this HttpContext ctx) =>
        ctx.Items[ProjectKey] as Project ?? throw ApiError.NotFound("Missing project context.");

    /// <summary>The project, or null before the pipeline resolved one (unknown project).</summary>
    public static Project? ProjectOrNull(this HttpContext ctx) => ctx.Items[ProjectKey] as Project;

    public static void SetAuth(HttpContext ctx, Record? auth) => ctx.Items[AuthKey] = auth;

    public static Record? Auth(this HttpContext ctx) => ctx.Items[AuthKey] as Record;

    /// <summary>Marks a request whose valid token belongs to a record the collection's authRule now refuses.</summary>
    public static void SetAuthRefused(HttpContext ctx) => ctx.Items["pg.authRefused"] = true;

    /// <summary>True when the request's token was valid but its record no longer satisfies the authRule.</summary>
    public static bool AuthRefused(this HttpContext ctx) => ctx.Items.ContainsKey("pg.authRefused");

    /// <summary>A superuser's token, or an API key with full scope (Keys/ApiKeyAccess).</summary>
    public static bool IsSuperuser(this HttpContext ctx) => ctx.Auth()?.Collection.Name == ProjectInitializer.SuperusersName || Keys.ApiKeyAccess.HasSuperuserKey(ctx);

    /// <summary>@request.* for rules: auth, method, query, headers (snake_cased lowercase), context.</summary>
    public static RequestInfo RequestInfo(this HttpContext ctx, string context = "default")
    {
        var request = ctx.Request;
        return new RequestInfo
        {
            Auth = ctx.Auth(),
            IsSuperuser = ctx.IsSuperuser(),
            Method = request.Method,
            Context = context,
            QueryFactory = () =>
            {
                var query = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in request.Query) query[k] = v.FirstOrDefault() ?? "";
                return query;
            },
            HeadersFactory = () =>
            {
                var headers = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (k, v) in request.Headers) headers[k.ToLowerInvariant().Replace('-', '_')] = v.FirstOrDefault() ?? "";
                return headers;
            },
        };
    }

    public static void RequireSuperuser(this HttpContext ctx)
    {
        if (ctx.IsSuperuser()) return;
        if (ctx.Items.ContainsKey("pg.apiKey")) throw ApiError.Forbidden("The API key is not allowed to perform this request.");
        if (ctx.Auth() is null) throw ApiError.Unauthorized("The request requires valid record authorization token.");
        if (!ctx.IsSuperuser()) throw ApiError.Forbidden("The authorized record is not allowed to perform this action.");
    }
}
