using System.Text.Json.Nodes;

namespace PaperGao.Core.Files;

/// <summary>The "s3" section of a project's settings (PocketBase's keys): when enabled, files go to that bucket.</summary>
public sealed record S3Settings(bool Enabled, string Bucket, string Region, string Endpoint, string AccessKey, string Secret, bool ForcePathStyle)
{
    public static S3Settings From(JsonNode? section)
    {
        var o = section as JsonObject;
        string S(string k) => o?[k] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        bool B(string k) => o?[k] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        return new S3Settings(B("enabled"), S("bucket"), S("region"), S("endpoint"), S("accessKey"), S("secret"), B("forcePathStyle"));
    }
}
