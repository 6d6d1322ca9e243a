using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;

namespace PaperGao.Api.Auth;

/// <summary>POST /api/collections/{c}/auth-refresh (protocol.md §5.8): a new token for the caller, same collection only.</summary>
public static class AuthRefreshApi
{
    public static IEndpointRouteBuilder MapAuthRefreshApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/collections/{collection}/auth-refresh", HandleAsync)
            .WithTags("Auth").WithName("AuthRefresh").WithSummary("Returns a new auth token for the signed-in record.");
        return app;
    }

    private static async Task HandleAsync(HttpContext ctx, string collection)
    {
        var project = ctx.Project();
        if (ctx.AuthRefused()) throw ApiError.Forbidden("The request doesn't satisfy the collection requirements to authenticate.");
        var (_, auth) = AuthResponse.SameCollectionAuth(ctx, project, collection);
        var header = ctx.Request.Headers.Authorization.ToString().Trim();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) header = header[7..].Trim();
        // As PocketBase: a token that is not refreshable (impersonation) is answered as it is, never renewed.
        var claims = Jwt.ReadUnverified(header);
        var token = claims is { Refreshable: true } ? AuthTokens.NewAuthToken(auth, ctx.UtcNow()) : header;
        await AuthResponse.WriteAsync(ctx, project, auth, token);
    }
}
