using Jint.Native;
using PaperGao.Core.Common;
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

/// <summary>
/// e.message: from, to, cc, bcc ([{address, name}]), subject, html, text, headers and attachments ({name: {contentType,
/// base64}}), read and written through to the mail being sent; every assignment is checked like $app.newMailClient().send().
/// </summary>
public sealed class JsMailerMessage(FunctionEngine engine, MailerEvent e)
{
    public string Subject
    {
        get => e.Message.Subject;
        set
        {
            var v = value ?? "";
            if (v.Contains('\r', StringComparison.Ordinal) || v.Contains('\n', StringComparison.Ordinal)) throw Core.Common.ApiError.BadRequest("The subject may not contain line breaks.");
            e.Message = e.Message with { Subject = v };
        }
    }

    public string Html
    {
        get => e.Message.HtmlBody;
        set => e.Message = e.Message with { HtmlBody = value ?? "" };
    }

    public string Text
    {
        get => e.Message.Text;
        set => e.Message = e.Message with { Text = value ?? "" };
    }

    public JsValue From
    {
        get => e.Message.From is { } f ? JsMailView.Addresses(engine.Js, [f]).AsArray()[0] : JsValue.Null;
        set
        {
            if (value.IsNull() || value.IsUndefined()) { e.Message = e.Message with { From = null }; return; }
            var errors = new ErrorData();
            var list = JsMail.Addresses(value, "from", errors);
            JsMailView.ThrowIfInvalid(errors, "e.message.from");
            e.Message = e.Message with { From = list.FirstOrDefault() };
        }
    }

    public JsValue To
    {
        get => JsMailView.Addresses(engine.Js, e.Message.AllTo);
        set
        {
            var errors = new ErrorData();
            var list = JsMail.Addresses(value, "to", errors);
            if (list.Count == 0 && errors.IsEmpty) errors.Add("to", new FieldError("validation_required", "At least one recipient in to."));
            JsMailView.ThrowIfInvalid(errors, "e.message.to");
            e.Message = e.Message with { ToAddress = list[0].Address, ToName = list[0].Name, MoreTo = [.. list.Skip(1)] };
        }
    }

    public JsValue Cc
    {
        get => JsMailView.Addresses(engine.Js, e.Message.Cc);
        set => e.Message = e.Message with { Cc = CheckedAddresses(value, "cc") };
    }

    public JsValue Bcc
    {
        get => JsMailView.Addresses(engine.Js, e.Message.Bcc);
        set => e.Message = e.Message with { Bcc = CheckedAddresses(value, "bcc") };
    }

    /// <summary>The addresses a script set on e.message.cc/bcc, or a 400 naming the field.</summary>
    private static List<MailAddress> CheckedAddresses(JsValue value, string field)
    {
        var errors = new ErrorData();
        var list = JsMail.Addresses(value, field, errors);
        JsMailView.ThrowIfInvalid(errors, "e.message." + field);
        return list;
    }

    public JsValue Attachments
    {
        get => JsMailView.Attachments(engine.Js, e.Message.Attachments);
        set
        {
            var errors = new ErrorData();
            var list = JsMail.Attachments(value, errors);
            JsMailView.ThrowIfInvalid(errors, "e.message.attachments");
            e.Message = e.Message with { Attachments = list };
        }
    }

    public JsValue Headers
    {
        get
        {
            var o = new System.Text.Json.Nodes.JsonObject();
            foreach (var (k, v) in e.Message.Headers) o[k] = v;
            return JsConvert.FromNode(engine.Js, o);
        }
        set
        {
            var errors = new ErrorData();
            var list = new List<KeyValuePair<string, string>>();
            if (value is Jint.Native.Object.ObjectInstance h)
            {
                foreach (var key in h.GetOwnPropertyKeys()) MailInput.Header(key.ToString(), JsMail.Str(h.Get(key)), list, errors);
            }
            JsMailView.ThrowIfInvalid(errors, "e.message.headers");
            e.Message = e.Message with { Headers = list };
        }
    }
}
