using Jint.Native;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>The event of onMailerSend and onMailerRecord*Send: e.message (to change the mail), e.record (the record hooks), e.app, e.next().</summary>
public sealed class JsMailerEvent(FunctionEngine engine, MailerEvent e)
{
    internal Func<JsValue>? NextAction { get; set; }

    public JsMailerMessage Message { get; } = new(engine, e);
    public JsRecord? Record { get; } = e.Record is null ? null : new JsRecord(engine, e.Record);
    public JsApp App => engine.App;

    public JsValue Next() => NextAction?.Invoke() ?? JsValue.Undefined;
}

/// <summary>e.message: subject, html and to ([{address, name}], one recipient) read and written through to the mail being sent.</summary>
public sealed class JsMailerMessage(FunctionEngine engine, MailerEvent e)
{
    public string Subject
    {
        get => e.Message.Subject;
        set => e.Message = e.Message with { Subject = value ?? "" };
    }

    public string Html
    {
        get => e.Message.HtmlBody;
        set => e.Message = e.Message with { HtmlBody = value ?? "" };
    }

    public JsValue To
    {
        get => JsConvert.FromNode(engine.Js, new System.Text.Json.Nodes.JsonArray(new System.Text.Json.Nodes.JsonObject { ["address"] = e.Message.ToAddress, ["name"] = e.Message.ToName }));
        set
        {
            var first = JsConvert.ToNode(engine.Js, value) is System.Text.Json.Nodes.JsonArray { Count: > 0 } a ? a[0] : null;
            var address = first?["address"]?.GetValue<string>() ?? "";
            if (!Core.Collections.Fields.EmailField.IsEmail(address)) throw Core.Common.ApiError.BadRequest("e.message.to needs one valid address.");
            e.Message = e.Message with { ToAddress = address, ToName = first?["name"]?.GetValue<string>() ?? "" };
        }
    }
}
