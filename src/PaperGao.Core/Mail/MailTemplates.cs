using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Collections;
using PaperGao.Core.Records;

namespace PaperGao.Core.Mail;

/// <summary>
/// The email templates of an auth collection (protocol.md §4.3): verificationTemplate, resetPasswordTemplate,
/// confirmEmailChangeTemplate, otp.emailTemplate and authAlert.emailTemplate, each {subject, body}. Placeholders
/// {APP_NAME}, {APP_URL}, {TOKEN}, {OTP}, {OTP_ID}, {ALERT_INFO} and {RECORD:field}; values inserted into the body
/// are HTML-escaped (the subject is plain text).
/// </summary>
public static partial class MailTemplates
{
    public const string Verification = "verificationTemplate";
    public const string ResetPassword = "resetPasswordTemplate";
    public const string ConfirmEmailChange = "confirmEmailChangeTemplate";
    public const string Otp = "otp";
    public const string AuthAlert = "authAlert";

    /// <summary>The option objects a new auth collection starts with: the three templates, otp (disabled) and authAlert.</summary>
    public static JsonObject DefaultExtra() => new()
    {
        [AuthAlert] = new JsonObject { ["enabled"] = true, ["emailTemplate"] = Default(AuthAlert) },
        [Otp] = new JsonObject { ["enabled"] = false, ["duration"] = 180, ["length"] = 8, ["emailTemplate"] = Default(Otp) },
        [Verification] = Default(Verification),
        [ResetPassword] = Default(ResetPassword),
        [ConfirmEmailChange] = Default(ConfirmEmailChange),
    };

    /// <summary>The collection's template of that kind, or the default when it has none (older collections).</summary>
    public static (string Subject, string Body) Get(AuthOptions auth, string kind)
    {
        var node = kind is Otp or AuthAlert ? (auth.Extra[kind] as JsonObject)?["emailTemplate"] : auth.Extra[kind];
        var t = node as JsonObject ?? Default(kind);
        var d = Default(kind);
        return (Str(t, "subject") ?? Str(d, "subject")!, Str(t, "body") ?? Str(d, "body")!);
    }

    public sealed record Values(string AppName, string AppUrl, Record? Record, string Token = "", string Otp = "", string OtpId = "", string AlertInfo = "");

    public static MailMessage Render(AuthOptions auth, string kind, Values values, string toAddress)
    {
        var (subject, body) = Get(auth, kind);
        return new MailMessage(toAddress, Replace(subject, values, html: false), Replace(body, values, html: true));
    }

    public static string Replace(string template, Values v, bool html)
    {
        string Enc(string s) => html ? WebUtility.HtmlEncode(s) : s;
        var sb = new StringBuilder(template)
            .Replace("{APP_NAME}", Enc(v.AppName))
            .Replace("{APP_URL}", Enc(v.AppUrl.TrimEnd('/')))
            .Replace("{TOKEN}", Enc(v.Token))
            .Replace("{OTP}", Enc(v.Otp))
            .Replace("{OTP_ID}", Enc(v.OtpId))
            .Replace("{ALERT_INFO}", Enc(v.AlertInfo));
        return RecordPlaceholder().Replace(sb.ToString(), m =>
        {
            var field = m.Groups[1].Value;
            // Hidden fields (password hash, tokenKey) never go into an email.
            if (v.Record is null || v.Record.Collection.FindField(field) is not { } f || f.Hidden) return "";
            var value = v.Record.Get(field) switch
            {
                null => "",
                string s => s,
                bool b => b ? "true" : "false",
                IFormattable n => n.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
                var o => o.ToString() ?? "",
            };
            return Enc(value);
        });
    }

    [GeneratedRegex(@"\{RECORD:(\w+)\}")]
    private static partial Regex RecordPlaceholder();

    private static string? Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject Default(string kind) => kind switch
    {
        Verification => T("Verify your {APP_NAME} email",
            "<p>Hello,</p>\n<p>Thank you for joining us at {APP_NAME}.</p>\n<p>Click on the button below to verify your email address.</p>\n"
            + "<p>\n  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-verification/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Verify</a>\n</p>\n"
            + "<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"),
        ResetPassword => T("Reset your {APP_NAME} password",
            "<p>Hello,</p>\n<p>Click on the button below to reset your password.</p>\n"
            + "<p>\n  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Reset password</a>\n</p>\n"
            + "<p><i>If you didn't ask to reset your password, you can ignore this email.</i></p>\n"
            + "<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"),
        ConfirmEmailChange => T("Confirm your {APP_NAME} new email address",
            "<p>Hello,</p>\n<p>Click on the button below to confirm your new email address.</p>\n"
            + "<p>\n  <a class=\"btn\" href=\"{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}\" target=\"_blank\" rel=\"noopener\">Confirm new email</a>\n</p>\n"
            + "<p><i>If you didn't ask to change your email address, you can ignore this email.</i></p>\n"
            + "<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"),
        Otp => T("OTP for {APP_NAME}",
            "<p>Hello,</p>\n<p>Your one-time password is: <strong>{OTP}</strong></p>\n"
            + "<p><i>If you didn't ask for the one-time password, you can ignore this email.</i></p>\n"
            + "<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"),
        AuthAlert => T("Login from a new location",
            "<p>Hello,</p>\n<p>We noticed a login to your {APP_NAME} account from a new location:</p>\n<p><em>{ALERT_INFO}</em></p>\n"
            + "<p><strong>If this wasn't you, you should immediately change your {APP_NAME} account password to revoke access from all other locations.</strong></p>\n"
            + "<p>If this was you, you may disregard this email.</p>\n"
            + "<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown email template."),
    };

    private static JsonObject T(string subject, string body) => new() { ["subject"] = subject, ["body"] = body };
}
