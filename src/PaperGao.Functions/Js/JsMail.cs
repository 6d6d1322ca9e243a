using System.Text;
using Jint.Native;
using Jint.Native.Object;
using PaperGao.Core.Auth;
using PaperGao.Core.Common;
using PaperGao.Core.Hooks;
using PaperGao.Core.Mail;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>
/// $app.newMailClient(): sends a MailerMessage through the project's mailer (SMTP, or the local mail program while
/// SMTP is off) and the onMailerSend hooks, as PocketBase's mail client does. Synchronous; bad input is a 400 with
/// data per field, a failed send a 500 naming the mail server.
/// </summary>
public sealed class JsMailClient(FunctionEngine engine)
{
    public void Send(JsValue message)
    {
        var ctx = engine.Context;
        var mailer = ctx.Mailer ?? throw new ApiError(500, "No mailer is configured on this server.");
        var m = JsMail.Parse(engine, message);
        var project = ctx.Project;
        if (!mailer.CanSend(project.Settings)) throw new ApiError(500, "Mail is off for this project: enable SMTP in the settings.");
        var e = new MailerEvent("", null, m);
        try
        {
            FunctionCall.Wait(project.Hooks.MailerSend.TriggerAsync(e, () => mailer.SendAsync(project.Settings, e.Message, CancellationToken.None)));
        }
        catch (MailException ex)
        {
            throw new ApiError(500, ex.Message);
        }
    }
}

/// <summary>Reads the JavaScript shape of a mail (PocketBase's MailerMessage) into a checked MailMessage.</summary>
public static class JsMail
{
    public static MailMessage Parse(FunctionEngine engine, JsValue value)
    {
        if (value is not ObjectInstance o) throw ApiError.BadRequest("send() expects a MailerMessage.");
        var errors = new ErrorData();
        var from = o.Get("from") is ObjectInstance f ? MailInput.Address("from", Str(f.Get("address")), Str(f.Get("name")), errors) : null;
        var to = Addresses(o.Get("to"), "to", errors);
        var cc = Addresses(o.Get("cc"), "cc", errors);
        var bcc = Addresses(o.Get("bcc"), "bcc", errors);
        if (to.Count == 0 && !errors.Contains("to"))
            errors.Add("to", new FieldError("validation_required", "At least one recipient in to."));
        var headers = new List<KeyValuePair<string, string>>();
        if (o.Get("headers") is ObjectInstance h)
        {
            foreach (var key in h.GetOwnPropertyKeys()) MailInput.Header(key.ToString(), Str(h.Get(key)), headers, errors);
        }
        var attachments = Attachments(o.Get("attachments"), errors);
        var first = to.Count > 0 ? to[0] : new MailAddress("");
        var m = new MailMessage(first.Address, Str(o.Get("subject")), Str(o.Get("html")), first.Name)
        {
            From = from,
            MoreTo = [.. to.Skip(1)],
            Cc = cc,
            Bcc = bcc,
            Text = Str(o.Get("text")),
            Headers = headers,
            Attachments = attachments,
        };
        MailInput.CheckMessage(m, errors);
        if (!errors.IsEmpty) throw ApiError.BadRequest("The mail is not valid.", errors);
        return m;
    }

    /// <summary>[{address, name}] (or one object, or "a@b.c" strings), each checked.</summary>
    public static List<MailAddress> Addresses(JsValue v, string field, ErrorData errors)
    {
        var list = new List<MailAddress>();
        if (v.IsUndefined() || v.IsNull()) return list;
        IEnumerable<JsValue> items = JsValueExtensions.IsArray(v) ? v.AsArray() : [v];
        foreach (var item in items)
        {
            if (list.Count > MailInput.MaxRecipients) break;
            var a = item is ObjectInstance io && !item.IsString()
                ? MailInput.Address(field, Str(io.Get("address")), Str(io.Get("name")), errors)
                : MailInput.Address(field, Str(item), "", errors);
            if (a is not null) list.Add(a);
        }
        return list;
    }

    /// <summary>
    /// {"name.txt": content}: content is a string (sent as UTF-8 text), an array of bytes, or {text | base64, contentType}.
    /// The size is checked before anything is copied.
    /// </summary>
    public static List<MailAttachment> Attachments(JsValue v, ErrorData errors)
    {
        var list = new List<MailAttachment>();
        if (v is not ObjectInstance o) return list;
        long total = 0;
        foreach (var key in o.GetOwnPropertyKeys())
        {
            var name = key.ToString();
            var content = o.Get(key);
            var type = "application/octet-stream";
            long size;
            Func<byte[]> bytes;
            if (content.IsString())
            {
                var s = content.AsString();
                size = Encoding.UTF8.GetByteCount(s);
                type = "text/plain; charset=utf-8";
                bytes = () => Encoding.UTF8.GetBytes(s);
            }
            else if (JsValueExtensions.IsArray(content))
            {
                var arr = content.AsArray();
                size = arr.Length;
                bytes = () => [.. arr.Select(b => (byte)b.AsNumber())];
            }
            else if (content is ObjectInstance c && (c.Get("base64").IsString() || c.Get("text").IsString()))
            {
                if (c.Get("contentType").IsString()) type = c.Get("contentType").AsString();
                if (c.Get("base64").IsString())
                {
                    var b64 = c.Get("base64").AsString();
                    size = b64.Length / 4 * 3;
                    bytes = () => Convert.FromBase64String(b64);
                }
                else
                {
                    var s = c.Get("text").AsString();
                    size = Encoding.UTF8.GetByteCount(s);
                    if (!c.Get("contentType").IsString()) type = "text/plain; charset=utf-8";
                    bytes = () => Encoding.UTF8.GetBytes(s);
                }
            }
            else
            {
                errors.Add("attachments", new FieldError("validation_invalid_attachment", $"Attachment \"{name}\": a string, an array of bytes or {{base64, contentType}}."));
                return list;
            }
            if (name.Length is 0 or > 255 || name.Any(ch => ch is '\r' or '\n' or '/' or '\\'))
            {
                errors.Add("attachments", new FieldError("validation_invalid_attachment", "An attachment name must be 1-255 characters, without slashes or line breaks."));
                return list;
            }
            total += size;
            if (total > MailInput.MaxAttachmentBytes)
            {
                errors.Add("attachments", new FieldError("validation_attachments_too_large", $"Attachments may add up to {MailInput.MaxAttachmentBytes / (1024 * 1024)} MiB."));
                return list;
            }
            try
            {
                list.Add(new MailAttachment(name, type, bytes()));
            }
            catch (FormatException)
            {
                errors.Add("attachments", new FieldError("validation_invalid_attachment", $"Attachment \"{name}\": invalid base64."));
                return list;
            }
        }
        return list;
    }

    public static string Str(JsValue v) => v.IsUndefined() || v.IsNull() ? "" : v.IsString() ? v.AsString() : v.ToString();
}

/// <summary>Builds the JavaScript view of a mail's addresses and attachments (e.message in the mailer hooks).</summary>
internal static class JsMailView
{
    public static JsValue Addresses(Jint.Engine js, IEnumerable<MailAddress> list)
    {
        var a = new System.Text.Json.Nodes.JsonArray();
        foreach (var x in list) a.Add(new System.Text.Json.Nodes.JsonObject { ["address"] = x.Address, ["name"] = x.Name });
        return JsConvert.FromNode(js, a);
    }

    public static JsValue Attachments(Jint.Engine js, IEnumerable<MailAttachment> list)
    {
        var o = new System.Text.Json.Nodes.JsonObject();
        foreach (var x in list) o[x.Name] = new System.Text.Json.Nodes.JsonObject { ["contentType"] = x.ContentType, ["base64"] = Convert.ToBase64String(x.Data) };
        return JsConvert.FromNode(js, o);
    }

    public static void ThrowIfInvalid(ErrorData errors, string what)
    {
        if (!errors.IsEmpty) throw ApiError.BadRequest("Invalid " + what + ".", errors);
    }
}

/// <summary>
/// $mails: the auth flows' mails sent from a function (PocketBase's $mails): a password reset, a verification, an
/// email change, a one-time password or a new-login alert for an auth record, with the collection's template (and a
/// fresh token where the flow has one), through the record mailer hooks and onMailerSend. Synchronous; no throttle
/// (the function decides when).
/// </summary>
public sealed class JsMails(FunctionEngine engine)
{
    private const int MaxOtpLength = 71; // what auth-with-otp accepts as a password
    private const int MaxAlertInfoLength = 1000;

    public void SendRecordPasswordReset(JsValue app, JsRecord record) =>
        Send(record, MailerEvent.PasswordReset, MailTemplates.ResetPassword, r => Values(r, AuthTokens.NewPasswordResetToken(r, Now)), r => r.GetString("email"));

    public void SendRecordVerification(JsValue app, JsRecord record) =>
        Send(record, MailerEvent.Verification, MailTemplates.Verification, r => Values(r, AuthTokens.NewVerificationToken(r, Now)), r => r.GetString("email"));

    public void SendRecordChangeEmail(JsValue app, JsRecord record, string newEmail)
    {
        if (!Core.Collections.Fields.EmailField.IsEmail(newEmail))
            throw ApiError.BadRequest("The new email is not valid.", new ErrorData().Add("newEmail", new FieldError("validation_is_email", "Must be a valid email address.")));
        Send(record, MailerEvent.EmailChange, MailTemplates.ConfirmEmailChange, r => Values(r, AuthTokens.NewEmailChangeToken(r, newEmail, Now)), _ => newEmail);
    }

    /// <summary>
    /// PocketBase's <c>$mails.sendRecordOTP(app, authRecord, otpId, pass)</c>: the collection's OTP mail with that code
    /// and id. Once sent, the OTP record (when it exists and has no "sentTo" yet) gets the address it was sent to.
    /// </summary>
    public void SendRecordOTP(JsValue app, JsRecord record, JsValue otpId, JsValue pass)
    {
        var errors = new ErrorData();
        var id = JsMail.Str(otpId);
        var code = JsMail.Str(pass);
        if (id.Length == 0) errors.Add("otpId", FieldError.Required());
        else if (id.Length > 255) errors.Add("otpId", new FieldError("validation_length_out_of_range", "Must be at most 255 characters."));
        if (code.Length == 0) errors.Add("pass", FieldError.Required());
        else if (code.Length > MaxOtpLength) errors.Add("pass", new FieldError("validation_length_out_of_range", $"Must be at most {MaxOtpLength} characters."));
        if (!errors.IsEmpty) throw ApiError.BadRequest("Invalid OTP mail.", errors);
        Send(record, MailerEvent.Otp, MailTemplates.Otp, r => Api.Auth.EmailFlows.Values(engine.Context.Project, r, otp: code, otpId: id), r => r.GetString("email"),
            e => MarkOtpSentAsync(id, e));
    }

    /// <summary>
    /// PocketBase's <c>$mails.sendRecordAuthAlert(app, authRecord, info)</c>: the collection's new-login alert, with
    /// <paramref name="info"/> (escaped) in place of {ALERT_INFO}.
    /// </summary>
    public void SendRecordAuthAlert(JsValue app, JsRecord record, JsValue info)
    {
        var text = JsMail.Str(info);
        if (text.Length > MaxAlertInfoLength || text.AsSpan().IndexOfAny('\r', '\n') >= 0)
            throw ApiError.BadRequest("Invalid alert mail.", new ErrorData().Add("info", new FieldError("validation_invalid_value", $"Must be one line of at most {MaxAlertInfoLength} characters.")));
        var project = engine.Context.Project;
        Send(record, MailerEvent.AuthAlert, MailTemplates.AuthAlert,
            r => new MailTemplates.Values(project.Settings.Meta.AppName, project.Settings.Meta.AppUrl, r, AlertInfo: text), r => r.GetString("email"));
    }

    private DateTimeOffset Now => engine.Context.Time.GetUtcNow();

    private MailTemplates.Values Values(Core.Records.Record record, string token) => Api.Auth.EmailFlows.Values(engine.Context.Project, record, token);

    /// <summary>The OTP's "sentTo" after its mail went out (as PocketBase: only when it exists and was not sent elsewhere yet).</summary>
    private async Task MarkOtpSentAsync(string otpId, MailerEvent e)
    {
        var to = e.Message.ToAddress;
        var project = engine.Context.Project;
        if (to.Length == 0 || project.Collections.Find(SystemCollections.Otps) is not { } otps) return;
        await RecordWriter.InScope(project, FunctionCall.Scope, async scope =>
        {
            var otp = await RecordSql.FindByIdAsync(project.Database, scope.Connection, scope.Transaction, otps, otpId, CancellationToken.None);
            if (otp is null || otp.GetString("sentTo").Length > 0) return false;
            await RecordWriter.UpdateAsync(project, otps, otpId, new System.Text.Json.Nodes.JsonObject { ["sentTo"] = to }, Api.Auth.EmailFlows.System, scope);
            return true;
        }, CancellationToken.None);
    }

    private void Send(JsRecord js, string kind, string template, Func<Core.Records.Record, MailTemplates.Values> values, Func<Core.Records.Record, string> to,
        Func<MailerEvent, Task>? afterSend = null)
    {
        var record = js.Inner;
        if (record.Collection.Auth is not { } auth) throw ApiError.BadRequest("$mails needs a record of an auth collection.");
        var mailer = engine.Context.Mailer ?? throw new ApiError(500, "No mailer is configured on this server.");
        var project = engine.Context.Project;
        var address = to(record);
        if (!Core.Collections.Fields.EmailField.IsEmail(address)) throw ApiError.BadRequest("The record has no valid email address.");
        if (!mailer.CanSend(project.Settings)) throw new ApiError(500, "Mail is off for this project: enable SMTP in the settings.");
        var message = MailTemplates.Render(auth, template, values(record), address);
        var e = new MailerEvent(kind, record, message);
        var hooks = project.Hooks;
        try
        {
            FunctionCall.Wait(hooks.MailerRecordSend.TriggerAsync(e, () => hooks.MailerSend.TriggerAsync(e, async () =>
            {
                await mailer.SendAsync(project.Settings, e.Message, CancellationToken.None);
                if (afterSend is not null) await afterSend(e);
            })));
        }
        catch (MailException ex)
        {
            throw new ApiError(500, ex.Message);
        }
    }
}
