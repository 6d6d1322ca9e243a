using System.Text.Json.Nodes;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Microsoft.Extensions.Logging;
using PaperGao.Api.Push;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>
/// $push.send({users | topic | collection + filter, title, body, data, badge, sound, ttl, urgency, collapseKey, dryRun}):
/// the same send as POST /api/push/send (docs/push.md), as the project itself. Returns the queued send's log
/// {id, status: "queued", ...} or the dry run's report; bad input throws the 400 error (with its field errors).
/// Inside a write transaction (a before-hook, $app.runInTransaction) the input is checked at once and the send is
/// queued when the transaction commits (nothing goes out for a write that rolls back); it then returns {deferred: true}.
/// </summary>
public sealed class JsPush(FunctionEngine engine)
{
    public JsValue Send(JsValue message)
    {
        if (message is not ObjectInstance || JsConvert.ToNode(engine.Js, message) is not JsonObject body)
            throw new JavaScriptException(engine.Js.Intrinsics.Error, "$push.send expects an object {users | topic | collection + filter, title, body, data, ...}.");
        var project = engine.Context.Project;
        var queues = engine.Context.Push ?? throw new JavaScriptException(engine.Js.Intrinsics.Error, "$push.send is available in the server only.");
        if (FunctionCall.Scope is { } scope)
        {
            PushSendInput.Parse(project, body); // bad input fails the hook now
            var log = engine.Context.Log;
            scope.AfterCommit(async () =>
            {
                try { await PushSendService.SendAsync(project, queues, body, CancellationToken.None); }
                catch (Exception e) { log.LogWarning("$push.send after the commit failed: {Message}", e.Message); }
            });
            return JsConvert.FromNode(engine.Js, new JsonObject { ["deferred"] = true });
        }
        var (_, answer) = FunctionCall.Wait(PushSendService.SendAsync(project, queues, body, CancellationToken.None));
        return JsConvert.FromNode(engine.Js, answer);
    }
}
