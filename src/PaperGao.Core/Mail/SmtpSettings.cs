using System.Text.Json.Nodes;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Mail;

/// <summary>The typed view of settings.smtp (protocol.md §8): read from ProjectSettings.Extra when a mail is sent.</summary>
public sealed record SmtpSettings(bool Enabled, string Host, int Port, string Username, string Password, string AuthMethod, bool Tls, string LocalName)
{
    public static SmtpSettings From(ProjectSettings settings)
    {
        var o = settings.Extra["smtp"] as JsonObject ?? [];
        return new SmtpSettings(
            Bool(o, "enabled"), Str(o, "host"), o["port"] is JsonValue p && p.TryGetValue<double>(out var port) ? (int)port : 587,
            Str(o, "username"), Str(o, "password"), Str(o, "authMethod"), Bool(o, "tls"), Str(o, "localName"));
    }

    private static string Str(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static bool Bool(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
}
