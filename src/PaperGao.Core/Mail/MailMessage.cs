namespace PaperGao.Core.Mail;

/// <summary>One outgoing email: a single recipient, a plain-text subject and an HTML body.</summary>
public sealed record MailMessage(string ToAddress, string Subject, string HtmlBody, string ToName = "");
