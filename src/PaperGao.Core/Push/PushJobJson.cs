using System.Text.Json.Nodes;

namespace PaperGao.Core.Push;

/// <summary>A <see cref="PushJob"/> as stored in "_pushJobs" (so a send survives a restart): target, message, counts, progress.</summary>
public static class PushJobJson
{
    public static string Write(PushJob job)
    {
        var target = job.Target switch
        {
            PushToUsers u => new JsonObject { ["kind"] = "users", ["users"] = new JsonArray([.. u.UserIds.Select(x => (JsonNode)x)]), ["collectionId"] = u.CollectionId },
            PushToTopic t => new JsonObject { ["kind"] = "topic", ["topic"] = t.Topic },
            PushToFilter f => new JsonObject { ["kind"] = "filter", ["collectionId"] = f.CollectionId, ["filter"] = f.Filter },
            _ => throw new ArgumentException("unknown target", nameof(job)),
        };
        var m = job.Message;
        return new JsonObject
        {
            ["sendId"] = job.SendId,
            ["target"] = target,
            ["title"] = m.Title,
            ["body"] = m.Body,
            ["data"] = m.Data?.DeepClone(),
            ["ttl"] = m.Ttl,
            ["urgency"] = m.Urgency,
            ["collapseKey"] = m.CollapseKey,
            ["badge"] = m.Badge,
            ["sound"] = m.Sound,
            ["recipients"] = job.Recipients,
            ["created"] = job.Created,
            ["progress"] = new JsonObject
            {
                ["after"] = job.Progress.After, ["read"] = job.Progress.Read, ["accepted"] = job.Progress.Accepted,
                ["rejected"] = job.Progress.Rejected, ["invalid"] = job.Progress.Invalid, ["retried"] = job.Progress.Retried,
            },
        }.ToJsonString();
    }

    /// <summary>The job, or null when the stored text is not one (it is then dropped).</summary>
    public static PushJob? Read(string json)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject o || o["target"] is not JsonObject t) return null;
            PushTarget target = t["kind"]?.GetValue<string>() switch
            {
                "users" => new PushToUsers([.. t["users"]!.AsArray().Select(x => x!.GetValue<string>())], t["collectionId"]?.GetValue<string>()),
                "topic" => new PushToTopic(t["topic"]!.GetValue<string>()),
                "filter" => new PushToFilter(t["collectionId"]!.GetValue<string>(), t["filter"]!.GetValue<string>()),
                _ => throw new FormatException("unknown target"),
            };
            var message = new PushMessage(o["title"]!.GetValue<string>(), o["body"]!.GetValue<string>(), o["data"] as JsonObject, o["ttl"]!.GetValue<int>(),
                o["urgency"]!.GetValue<string>(), o["collapseKey"]!.GetValue<string>(), o["badge"]?.GetValue<int>(), o["sound"]?.GetValue<string>() ?? "");
            var progress = o["progress"] is JsonObject g
                ? new PushProgress(g["after"]!.GetValue<string>(), g["read"]!.GetValue<long>(), g["accepted"]!.GetValue<long>(), g["rejected"]!.GetValue<long>(),
                    g["invalid"]!.GetValue<long>(), g["retried"]!.GetValue<long>())
                : PushProgress.Start; // a row written before the cursor existed: from the start
            return new PushJob(o["sendId"]!.GetValue<string>(), target, message, o["recipients"]!.GetValue<long>(), o["created"]!.GetValue<string>()) { Progress = progress };
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            return null;
        }
    }
}
