using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;

namespace PaperGao.Core.Mail;

/// <summary>
/// Checks mail built by code the server does not control (functions): valid addresses, at least one recipient, at
/// most <see cref="MaxRecipients"/>, header names and values that cannot inject headers, attachments within
/// <see cref="MaxAttachmentBytes"/> in total. Problems are collected per field (400 with data.{field}).
/// </summary>
public static class MailInput
{
    public const int MaxRecipients = 50;
    public const int MaxAttachmentBytes = 10 * 1024 * 1024;

    /// <summary>Headers the message builder owns: setting them would bypass the checks on from/to/cc/bcc or break the MIME structure.</summary>
    private static readonly HashSet<string> Reserved = new(StringComparer.OrdinalIgnoreCase)
    {
        "From", "To", "Cc", "Bcc", "Subject", "Sender", "Date", "Message-Id", "Mime-Version", "Content-Type", "Content-Transfer-Encoding", "Content-Disposition", "Return-Path",
    };

    public static MailAddress? Address(string field, string? address, string? name, ErrorData errors)
    {
        var a = (address ?? "").Trim();
        if (!EmailField.IsEmail(a) || a.Length > 254)
        {
            if (!errors.Contains(field)) errors.Add(field, new FieldError("validation_is_email", "Must be a valid email address."));
            return null;
        }
        var n = name ?? "";
        if (n.Contains('\r', StringComparison.Ordinal) || n.Contains('\n', StringComparison.Ordinal))
        {
            if (!errors.Contains(field)) errors.Add(field, new FieldError("validation_invalid_name", "A name may not contain line breaks."));
            return null;
        }
        return new MailAddress(a, n);
    }

    public static void Header(string name, string value, List<KeyValuePair<string, string>> into, ErrorData errors)
    {
        var validName = name.Length is > 0 and <= 100 && name.All(c => c is > ' ' and < (char)127 and not ':');
        if (!validName || Reserved.Contains(name) || value.Contains('\r', StringComparison.Ordinal) || value.Contains('\n', StringComparison.Ordinal))
        {
            if (!errors.Contains("headers")) errors.Add("headers", new FieldError("validation_invalid_header", $"Invalid or reserved header \"{(name.Length > 100 ? name[..100] : name)}\"."));
            return;
        }
        into.Add(new KeyValuePair<string, string>(name, value));
    }

    /// <summary>The checks on the whole message: recipients, subject, a body, attachment size.</summary>
    public static void CheckMessage(MailMessage m, ErrorData errors)
    {
        var recipients = m.MoreTo.Count + 1 + m.Cc.Count + m.Bcc.Count;
        if (recipients > MaxRecipients && !errors.Contains("to"))
            errors.Add("to", new FieldError("validation_too_many_recipients", $"At most {MaxRecipients} recipients (to, cc and bcc together)."));
        if ((m.Subject.Contains('\r', StringComparison.Ordinal) || m.Subject.Contains('\n', StringComparison.Ordinal)) && !errors.Contains("subject"))
            errors.Add("subject", new FieldError("validation_invalid_subject", "The subject may not contain line breaks."));
        long size = 0;
        foreach (var a in m.Attachments) size += a.Data.Length;
        if (size > MaxAttachmentBytes && !errors.Contains("attachments"))
            errors.Add("attachments", new FieldError("validation_attachments_too_large", $"Attachments may add up to {MaxAttachmentBytes / (1024 * 1024)} MiB."));
    }
}
