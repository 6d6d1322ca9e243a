using System.Text.Json;
using System.Text.Json.Nodes;
using PaperGao.Core.Common;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// PocketBase's settings (_params "settings": meta, smtp, s3, backups, rateLimits, batch, trustedProxy, logs,
/// superuserIPs) applied section by section onto the project's settings through <see cref="SettingsJson"/>; a section
/// PaperGao refuses or does not have is reported as skipped. OAuth2 providers live on the auth collections since
/// PocketBase 0.23 and move with them.
/// </summary>
public static class PbSettingsMapper
{
    public static async Task<ProjectSettings> MapAsync(PbDataFolder pb, ProjectSettings current, ImportReport report, CancellationToken ct = default)
    {
        await using var cmd = pb.Connection.CreateCommand();
        cmd.CommandText = "SELECT id, value FROM _params";
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var settings = current;
        while (await r.ReadAsync(ct))
        {
            var id = r.GetString(0);
            if (id != "settings")
            {
                report.Skip($"_params '{id}'", "not a PocketBase setting PaperGao knows");
                continue;
            }
            var raw = r.IsDBNull(1) ? "" : r.GetString(1);
            JsonObject? pbSettings;
            try
            {
                pbSettings = JsonNode.Parse(raw) as JsonObject;
            }
            catch (JsonException)
            {
                pbSettings = null;
            }
            if (pbSettings is null)
            {
                report.Skip("settings", "stored encrypted (PocketBase ran with an encryption key) or unreadable; set them again in PaperGao");
                continue;
            }
            settings = Apply(settings, pbSettings, report);
        }
        return settings;
    }

    private static ProjectSettings Apply(ProjectSettings settings, JsonObject pbSettings, ImportReport report)
    {
        var known = SettingsJson.ToJson(settings, includeSecrets: true);
        foreach (var (key, value) in pbSettings)
        {
            if (!known.ContainsKey(key))
            {
                report.Skip($"settings.{key}", "PaperGao has no such setting");
                continue;
            }
            var errors = new ErrorData();
            var next = SettingsJson.Apply(settings, new JsonObject { [key] = value?.DeepClone() }, errors);
            if (errors.IsEmpty) settings = next;
            else report.Skip($"settings.{key}", "refused by PaperGao's validation: " + ErrorText.Describe(errors));
        }
        return settings;
    }
}
