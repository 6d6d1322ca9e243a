using PaperGao.Core.Settings;

namespace PaperGao.Core.Mail;

/// <summary>Sends an email with a project's settings (smtp section, sender from meta). Throws MailException when it can't.</summary>
public interface IMailer
{
    Task SendAsync(ProjectSettings settings, MailMessage message, CancellationToken ct = default);

    /// <summary>Whether mail can go out at all for these settings (SMTP on, or a local mail program while it is off).</summary>
    bool CanSend(ProjectSettings settings);
}
