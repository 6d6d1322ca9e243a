namespace PaperGao.Core.Mail;

/// <summary>
/// One outgoing email: the first recipient (ToAddress/ToName), a plain-text subject and an HTML body; the auth flows'
/// mails stop there. Mail from functions may also set the sender, more recipients, cc, bcc, a text part, extra
/// headers and attachments (checked by <see cref="MailInput"/> before they get here).
/// </summary>
public sealed record MailMessage(string ToAddress, string Subject, string HtmlBody, string ToName = "")
{
    /// <summary>The sender; null: the project's sender (settings meta).</summary>
    public MailAddress? From { get; init; }

    /// <summary>Recipients after the first one.</summary>
    public IReadOnlyList<MailAddress> MoreTo { get; init; } = [];

    public IReadOnlyList<MailAddress> Cc { get; init; } = [];

    /// <summary>Receive the mail without appearing in its headers.</summary>
    public IReadOnlyList<MailAddress> Bcc { get; init; } = [];

    /// <summary>A plain-text alternative ("" = none).</summary>
    public string Text { get; init; } = "";

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public IReadOnlyList<MailAttachment> Attachments { get; init; } = [];

    /// <summary>Every To recipient, the first one included.</summary>
    public IEnumerable<MailAddress> AllTo => MoreTo.Prepend(new MailAddress(ToAddress, ToName));
}

public sealed record MailAddress(string Address, string Name = "");

public sealed record MailAttachment(string Name, string ContentType, byte[] Data);
