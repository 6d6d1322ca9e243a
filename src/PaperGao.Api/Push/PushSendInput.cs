using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;
using PaperGao.Core.Push;

namespace PaperGao.Api.Push;

/// <summary>
/// Validates a send {users | topic | collection + filter, title, body, data, badge, sound, ttl, urgency, collapseKey,
/// dryRun}: exactly one target, a payload that fits a Web Push message (and so FCM's and APNs' 4 KB), RFC 8030's header values.
/// </summary>
public static partial class PushSendInput
{
    public const int MaxTitleLength = 255;
    public const int MaxBodyLength = 2000;
    public const int MaxFilterLength = 3500;
    public const int MaxBadge = 99_999;
    public const int MaxSoundLength = 64;

    public static (PushTarget Target, PushMessage Message, bool DryRun) Parse(Project project, JsonObject b)
    {
        var errors = new ErrorData();
        var target = ParseTarget(project, b, errors);
        var title = Str(b, "title", errors, MaxTitleLength, required: true);
        var text = Str(b, "body", errors, MaxBodyLength, required: false);
        JsonObject? data = null;
        if (b["data"] is JsonObject d) data = (JsonObject)d.DeepClone();
        else if (b["data"] is not null) errors.Add("data", new FieldError("validation_invalid_value", "Must be an object."));
        var ttl = PushLimits.DefaultTtlSeconds;
        if (b["ttl"] is not null && !(PushSettings.TryNumber(b["ttl"], out var t) && t == Math.Floor(t) && t >= 0 && t <= PushLimits.MaxTtlSeconds && (ttl = (int)t) >= 0))
            errors.Add("ttl", new FieldError("validation_invalid_value", $"Must be a whole number of seconds between 0 and {PushLimits.MaxTtlSeconds}."));
        var urgency = "normal";
        if (b["urgency"] is not null && !(b["urgency"] is JsonValue uv && uv.TryGetValue<string>(out var us) && PushMessage.Urgencies.Contains(us) && (urgency = us).Length > 0))
            errors.Add("urgency", new FieldError("validation_invalid_urgency", "Must be one of very-low, low, normal, high."));
        var collapseKey = Str(b, "collapseKey", errors, PushLimits.MaxCollapseKeyLength, required: false);
        if (collapseKey.Length > 0 && !CollapseKeyRegex().IsMatch(collapseKey) && !errors.Contains("collapseKey"))
            errors.Add("collapseKey", new FieldError("validation_invalid_collapse_key", $"At most {PushLimits.MaxCollapseKeyLength} characters of letters, digits, '-' and '_'."));
        int? badge = null;
        if (b["badge"] is not null)
        {
            if (PushSettings.TryNumber(b["badge"], out var bd) && bd == Math.Floor(bd) && bd >= 0 && bd <= MaxBadge) badge = (int)bd;
            else errors.Add("badge", new FieldError("validation_invalid_value", $"Must be a whole number between 0 and {MaxBadge}."));
        }
        var sound = Str(b, "sound", errors, MaxSoundLength, required: false);
        var dryRun = false;
        if (b["dryRun"] is not null && !(b["dryRun"] is JsonValue dv && dv.TryGetValue(out dryRun)))
            errors.Add("dryRun", new FieldError("validation_invalid_value", "Must be a boolean."));

        var message = new PushMessage(title, text, data, ttl, urgency, collapseKey, badge, sound);
        if (errors.IsEmpty && message.Payload().Length > WebPushEncryption.MaxPlaintext)
            errors.Add("data", new FieldError("validation_payload_too_large", $"The title, body and data together must fit in {WebPushEncryption.MaxPlaintext} bytes of JSON."));
        if (!errors.IsEmpty || target is null) throw ApiError.BadRequest("An error occurred while validating the submitted data.", errors);
        return (target, message, dryRun);
    }

    private static PushTarget? ParseTarget(Project project, JsonObject b, ErrorData errors)
    {
        var given = new[] { "users", "topic", "filter" }.Count(k => b[k] is not null);
        if (given != 1)
        {
            errors.Add("users", new FieldError("validation_one_target", "Give exactly one of users, topic or filter."));
            return null;
        }
        string? collectionId = null;
        if (b["collection"] is not null)
        {
            var name = b["collection"] is JsonValue cv && cv.TryGetValue<string>(out var cs) ? cs : "";
            var c = name.Length > 0 ? project.Collections.Find(name) : null;
            if (c is null || !c.IsAuth)
            {
                errors.Add("collection", new FieldError("validation_invalid_collection", "Must be an auth collection."));
                return null;
            }
            collectionId = c.Id;
        }
        if (b["users"] is { } usersNode)
        {
            if (usersNode is not JsonArray arr || arr.Count == 0 || arr.Count > PushLimits.MaxUserIds)
            {
                errors.Add("users", new FieldError("validation_invalid_users", $"Must be an array of 1 to {PushLimits.MaxUserIds} record ids."));
                return null;
            }
            var ids = new List<string>();
            foreach (var item in arr)
            {
                if (item is not JsonValue v || !v.TryGetValue<string>(out var id) || id.Length is 0 or > 100)
                {
                    errors.Add("users", new FieldError("validation_invalid_users", "Every user id must be a string."));
                    return null;
                }
                if (!ids.Contains(id)) ids.Add(id);
            }
            return new PushToUsers(ids, collectionId);
        }
        if (b["topic"] is { } topicNode)
        {
            if (topicNode is not JsonValue tv || !tv.TryGetValue<string>(out var topic) || !PushDeviceInput.IsTopic(topic))
            {
                errors.Add("topic", new FieldError("validation_invalid_topic", "Must be a topic name (letters, digits, '_', '-', '.')."));
                return null;
            }
            return new PushToTopic(topic.ToLowerInvariant());
        }
        var filter = b["filter"] is JsonValue fv && fv.TryGetValue<string>(out var fs) ? fs.Trim() : "";
        if (filter.Length == 0 || filter.Length > MaxFilterLength)
        {
            errors.Add("filter", new FieldError("validation_invalid_filter", $"Must be a filter of 1 to {MaxFilterLength} characters."));
            return null;
        }
        if (collectionId is null)
        {
            errors.Add("collection", new FieldError("validation_required", "A filter needs the auth collection it runs on."));
            return null;
        }
        return new PushToFilter(collectionId, filter);
    }

    private static string Str(JsonObject o, string key, ErrorData e, int max, bool required)
    {
        if (o[key] is null)
        {
            if (required) e.Add(key, FieldError.Required());
            return "";
        }
        if (o[key] is not JsonValue v || !v.TryGetValue<string>(out var s)) { e.Add(key, new FieldError("validation_invalid_value", "Must be a string.")); return ""; }
        if (required && string.IsNullOrWhiteSpace(s)) { e.Add(key, FieldError.Required()); return ""; }
        if (s.Length > max) { e.Add(key, new FieldError("validation_length_too_long", $"Must be no more than {max} characters.")); return ""; }
        return s;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex CollapseKeyRegex();
}
