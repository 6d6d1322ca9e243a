using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// A feature assembly plugged into the server (functions): registered as a singleton service, its middleware runs
/// after the project and the caller's auth are known and before the built-in endpoints, and it maps its own endpoints.
/// </summary>
public interface IPaperGaoExtension
{
    Task InvokeAsync(HttpContext ctx, RequestDelegate next);

    void MapEndpoints(IEndpointRouteBuilder app);
}
