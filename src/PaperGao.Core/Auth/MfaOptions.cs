using System.Text.Json.Nodes;
using PaperGao.Core.Collections;

namespace PaperGao.Core.Auth;

/// <summary>An auth collection's mfa options (protocol.md §4.3, §5.7): enabled, duration of an MFA session (s), rule.</summary>
public sealed record MfaOptions(bool Enabled, long Duration, string Rule)
{
    public const long DefaultDuration = 600;

    public static MfaOptions From(AuthOptions auth)
    {
        var o = auth.Extra["mfa"] as JsonObject ?? [];
        var enabled = o["enabled"] is JsonValue e && e.TryGetValue<bool>(out var b) && b;
        var duration = o["duration"] is JsonValue d && d.TryGetValue<double>(out var dd) && dd > 0 ? (long)dd : DefaultDuration;
        var rule = o["rule"] is JsonValue r && r.TryGetValue<string>(out var s) ? s : "";
        return new MfaOptions(enabled, duration, rule);
    }
}
