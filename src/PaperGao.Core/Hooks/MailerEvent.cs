using PaperGao.Core.Mail;
using PaperGao.Core.Records;

namespace PaperGao.Core.Hooks;

/// <summary>
/// An email about to be sent (the auth flows' mails): handlers may change <see cref="Message"/>, or not call next to
/// send nothing. Kind names the flow (passwordReset, verification, emailChange, otp, authAlert); Record is the auth
/// record it is about (tags match its collection).
/// </summary>
public sealed class MailerEvent(string kind, Record? record, MailMessage message) : IHookEvent
{
    public const string PasswordReset = "passwordReset";
    public const string Verification = "verification";
    public const string EmailChange = "emailChange";
    public const string Otp = "otp";
    public const string AuthAlert = "authAlert";

    public string Kind { get; } = kind;
    public Record? Record { get; } = record;
    public MailMessage Message { get; set; } = message;

    public bool MatchesTag(string tag) => Record is { } r && (tag == r.Collection.Id || tag == r.Collection.Name);
}
