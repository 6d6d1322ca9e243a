using System.Text.Json.Nodes;
using PaperGao.Core.Collections;

namespace PaperGao.Core.Mail;

/// <summary>The typed view of an auth collection's otp options {enabled, duration (s), length (digits)}.</summary>
public sealed record OtpOptions(bool Enabled, long Duration, int Length)
{
    public static OtpOptions From(AuthOptions auth)
    {
        var o = auth.Extra[MailTemplates.Otp] as JsonObject ?? [];
        var enabled = o["enabled"] is JsonValue e && e.TryGetValue<bool>(out var b) && b;
        var duration = o["duration"] is JsonValue d && d.TryGetValue<double>(out var dd) && dd > 0 ? (long)dd : 180;
        var length = o["length"] is JsonValue l && l.TryGetValue<double>(out var ll) && ll >= 4 ? (int)Math.Min(ll, 32) : 8;
        return new OtpOptions(enabled, duration, length);
    }
}
