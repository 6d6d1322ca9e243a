using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace PaperGao.Api.Infrastructure;

/// <summary>
/// The server's clock for a request: the TimeProvider registered in the services (TimeProvider.System unless a test
/// put a fake one there to move time instead of waiting for it). Token expiry, OTP/MFA windows and rate limits read it.
/// </summary>
public static class RequestClock
{
    public static DateTimeOffset UtcNow(this HttpContext ctx) =>
        (ctx.RequestServices.GetService<TimeProvider>() ?? TimeProvider.System).GetUtcNow();
}
