using Microsoft.AspNetCore.Routing;

namespace PaperGao.Api.Push;

/// <summary>Push notifications (docs/push.md): devices, sends and their logs, the VAPID keys.</summary>
public static class PushApi
{
    public static IEndpointRouteBuilder MapPushApi(this IEndpointRouteBuilder app)
    {
        app.MapPushDevicesApi();
        app.MapPushSendApi();
        app.MapPushVapidApi();
        return app;
    }
}
