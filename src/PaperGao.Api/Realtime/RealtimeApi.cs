using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace PaperGao.Api.Realtime;

/// <summary>The realtime endpoints: SSE (protocol.md §6), the WebSocket transport and the OAuth2 redirect handoff (§5.5b).</summary>
public static class RealtimeApi
{
    public static IEndpointRouteBuilder MapRealtimeApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/realtime", (Func<HttpContext, Task>)SseEndpoint.ConnectAsync).WithTags("Realtime").WithName("RealtimeConnect")
            .WithSummary("Open the server-sent events stream: PB_CONNECT {clientId}, then one event per matching subscription.");
        app.MapPost("/api/realtime", (Func<HttpContext, Task>)SubscriptionsEndpoint.SetAsync).WithTags("Realtime").WithName("RealtimeSetSubscriptions")
            .WithSummary("Replace a client's subscriptions {clientId, subscriptions[]} and bind the request's auth to it (204); on a cluster any node takes it and forwards it to the node holding the client.");
        app.MapGet("/api/realtime/ws", (Func<HttpContext, Task>)WebSocketEndpoint.ConnectAsync).WithTags("Realtime").WithName("RealtimeWebSocket")
            .WithSummary("The WebSocket transport: JSON messages connect/auth/subscribe/ping/event (docs/realtime.md).");
        app.MapGet("/api/oauth2-redirect", (Func<HttpContext, Task>)OAuth2RedirectEndpoint.HandleAsync).WithTags("Realtime").WithName("OAuth2RedirectGet")
            .WithSummary("OAuth2 provider redirect: hands code and state to the realtime client subscribed to @oauth2 (on whichever node holds it).");
        app.MapPost("/api/oauth2-redirect", (Func<HttpContext, Task>)OAuth2RedirectEndpoint.HandleAsync).WithTags("Realtime").WithName("OAuth2RedirectPost")
            .WithSummary("OAuth2 provider redirect with a form_post response (Apple).");
        return app;
    }
}
