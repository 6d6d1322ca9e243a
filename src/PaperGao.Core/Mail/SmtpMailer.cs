using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Mail;

/// <summary>
/// IMailer over SMTP (MailKit): implicit TLS when smtp.tls is set, otherwise STARTTLS when the server offers it;
/// AUTH only when a username is set, restricted to smtp.authMethod (PLAIN, LOGIN...) when one is given. While a project's
/// SMTP is off, mail goes to the operator's local mail program (<see cref="SendmailProgram"/>) when there is one.
/// </summary>
public sealed class SmtpMailer(SendmailProgram? sendmail = null) : IMailer
{
    private const int TimeoutMs = 30_000;

    public async Task SendAsync(ProjectSettings settings, MailMessage message, CancellationToken ct = default)
    {
        var smtp = SmtpSettings.From(settings);
        if (!smtp.Enabled)
        {
            if (sendmail is null) throw new MailException("SMTP is not enabled in the settings.");
            await sendmail.SendAsync(BuildMessage(settings, message), ct);
            return;
        }
        if (string.IsNullOrWhiteSpace(smtp.Host) || smtp.Port is <= 0 or > 65535) throw new MailException("The SMTP host or port is not set.");

        using var client = new SmtpClient { Timeout = TimeoutMs };
        if (smtp.LocalName.Length > 0) client.LocalDomain = smtp.LocalName;
        try
        {
            var mime = BuildMessage(settings, message);
            await client.ConnectAsync(smtp.Host, smtp.Port, smtp.Tls ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTlsWhenAvailable, ct);
            if (smtp.Username.Length > 0)
            {
                if (smtp.AuthMethod.Length > 0) client.AuthenticationMechanisms.RemoveWhere(m => !string.Equals(m, smtp.AuthMethod, StringComparison.OrdinalIgnoreCase));
                await client.AuthenticateAsync(smtp.Username, smtp.Password, ct);
            }
            await client.SendAsync(mime, ct);
            await client.DisconnectAsync(true, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not MailException)
        {
            // MailKit messages carry the server's reply, never the credentials we sent.
            throw new MailException($"Failed to send the email via {smtp.Host}:{smtp.Port}: {ex.GetType().Name}: {ex.Message}", ex);
        }
    }

    public bool CanSend(ProjectSettings settings) => sendmail is not null || SmtpSettings.From(settings).Enabled;

    private static MimeMessage BuildMessage(ProjectSettings settings, MailMessage message)
    {
        var mime = new MimeMessage();
        mime.From.Add(message.From is { } from ? new MailboxAddress(from.Name, from.Address) : new MailboxAddress(settings.Meta.SenderName, settings.Meta.SenderAddress));
        foreach (var a in message.AllTo) mime.To.Add(new MailboxAddress(a.Name, a.Address));
        foreach (var a in message.Cc) mime.Cc.Add(new MailboxAddress(a.Name, a.Address));
        // MailKit sends to Bcc recipients and leaves the Bcc header out of what it transmits; sendmail -t does the same.
        foreach (var a in message.Bcc) mime.Bcc.Add(new MailboxAddress(a.Name, a.Address));
        mime.Subject = message.Subject;
        foreach (var (name, value) in message.Headers) mime.Headers.Add(name, value);
        var body = new BodyBuilder
        {
            HtmlBody = message.HtmlBody.Length > 0 || message.Text.Length == 0 ? message.HtmlBody : null,
            TextBody = message.Text.Length > 0 ? message.Text : null,
        };
        foreach (var a in message.Attachments)
            body.Attachments.Add(a.Name, a.Data, ContentType.TryParse(a.ContentType, out var type) ? type : new ContentType("application", "octet-stream"));
        mime.Body = body.ToMessageBody();
        return mime;
    }
}
