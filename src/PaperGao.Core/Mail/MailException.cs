namespace PaperGao.Core.Mail;

/// <summary>A send that failed. The message never carries the SMTP password.</summary>
public sealed class MailException(string message, Exception? inner = null) : Exception(message, inner);
