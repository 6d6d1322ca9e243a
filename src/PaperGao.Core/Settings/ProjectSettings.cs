using System.Text.Json.Nodes;

namespace PaperGao.Core.Settings;

/// <summary>
/// A project's runtime-editable settings (protocol.md §8), stored in "_params" under the id "settings".
/// The sections this server acts on are typed (meta, batch); the others are kept as JSON with their defaults
/// until their features exist. Secrets (smtp.password, s3.secret) are never returned by the API.
/// </summary>
public sealed class ProjectSettings
{
    public MetaSettings Meta { get; set; } = new();
    public BatchSettings Batch { get; set; } = new();

    /// <summary>smtp, s3, backups, rateLimits, trustedProxy, logs, superuserIPs: kept verbatim.</summary>
    public JsonObject Extra { get; set; } = DefaultExtra();

    public ProjectSettings Clone() => new()
    {
        Meta = Meta with { },
        Batch = Batch with { },
        Extra = (JsonObject)Extra.DeepClone(),
    };

    public static JsonObject DefaultExtra() => new()
    {
        ["smtp"] = new JsonObject { ["enabled"] = false, ["port"] = 587, ["host"] = "smtp.example.com", ["username"] = "", ["password"] = "", ["authMethod"] = "", ["tls"] = false, ["localName"] = "" },
        ["backups"] = new JsonObject { ["cron"] = "", ["cronMaxKeep"] = 3, ["s3"] = S3Defaults() },
        ["s3"] = S3Defaults(),
        ["rateLimits"] = new JsonObject { ["enabled"] = false, ["excludedIPs"] = new JsonArray(), ["rules"] = RateLimitSettings.DefaultRules() },
        ["trustedProxy"] = new JsonObject { ["headers"] = new JsonArray(), ["useLeftmostIP"] = false },
        ["logs"] = new JsonObject { ["maxDays"] = 5, ["minLevel"] = 0, ["logIP"] = true, ["logAuthId"] = false },
        ["superuserIPs"] = new JsonArray(),
        ["graphql"] = new JsonObject { ["introspection"] = "superusers" },
        [Push.PushSettings.Section] = Push.PushSettings.Defaults(),
    };

    private static JsonObject S3Defaults() => new()
    {
        ["enabled"] = false, ["bucket"] = "", ["region"] = "", ["endpoint"] = "", ["accessKey"] = "", ["secret"] = "", ["forcePathStyle"] = false,
    };
}

public sealed record MetaSettings
{
    public string AppName { get; init; } = "PaperGao";
    public string AppUrl { get; init; } = "http://localhost:8090";
    public string SenderName { get; init; } = "Support";
    public string SenderAddress { get; init; } = "support@example.com";
    public bool HideControls { get; init; }
}

public sealed record BatchSettings
{
    public bool Enabled { get; init; }
    public int MaxRequests { get; init; } = 50;
    public int Timeout { get; init; } = 3;
    public long MaxBodySize { get; init; }
}
