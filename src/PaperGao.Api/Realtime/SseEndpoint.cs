using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PaperGao.Api.Infrastructure;

namespace PaperGao.Api.Realtime;

/// <summary>
/// GET /api/realtime (protocol.md §6.1): registers a client, writes PB_CONNECT with its id, then every queued message
/// with "id:" = the client id; ends after the idle timeout without a message, after the hard lifetime, when the
/// client goes away, or when it falls behind (its connection is then aborted).
/// </summary>
public static class SseEndpoint
{
    public static async Task ConnectAsync(HttpContext ctx)
    {
        var project = ctx.Project();
        var broker = RealtimeConnection.Broker(ctx);
        // A node just started: the others may have been skipping their notices (alone); wait until they tell this one.
        await RealtimeConnection.Relay(ctx).Joined.WaitAsync(ctx.RequestAborted);
        var client = broker.Connect(project.Name, RealtimeConnection.CallerIp(ctx));
        try
        {
            var res = ctx.Response;
            res.StatusCode = StatusCodes.Status200OK;
            res.ContentType = "text/event-stream";
            res.Headers.CacheControl = "no-store";
            res.Headers["X-Accel-Buffering"] = "no";
            ctx.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
            // One idle timer per stream, pushed back after each delivery (no timer per message).
            using var idle = new CancellationTokenSource(broker.Options.IdleTimeout);
            using var lifetime = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, client.Closed, RealtimeConnection.Stopping(ctx), idle.Token);
            lifetime.CancelAfter(broker.Options.MaxLifetime);
            SseFrame.Write(res.BodyWriter, client.Id, "PB_CONNECT", Encoding.UTF8.GetBytes("{\"clientId\":\"" + client.Id + "\"}"));
            await res.BodyWriter.FlushAsync(lifetime.Token);
            while (await client.Messages.WaitToReadAsync(lifetime.Token))
            {
                while (client.Messages.TryRead(out var m)) SseFrame.Write(res.BodyWriter, client.Id, m.Event, m.Data.Span);
                var flushed = await res.BodyWriter.FlushAsync(lifetime.Token);
                if (flushed.IsCompleted || flushed.IsCanceled) break;
                idle.CancelAfter(broker.Options.IdleTimeout);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away, fell behind or outlived its lifetime.
        }
        finally
        {
            broker.Disconnect(client);
        }
        // A stalled client may have bytes stuck in the socket: cut it instead of waiting for it to read.
        if (client.WasDropped) ctx.Abort();
    }
}
