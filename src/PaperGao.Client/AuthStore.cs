using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>What changed in an <see cref="AuthStore"/>: the new token ("" after a sign-out) and record.</summary>
public sealed class AuthChangedEventArgs(string token, JsonObject? record) : EventArgs
{
    public string Token { get; } = token;
    public JsonObject? Record { get; } = record;
}

/// <summary>
/// Holds the token and auth record of the signed-in user (in memory). Every sign-in, refresh and sign-out goes
/// through <see cref="Save"/>/<see cref="Clear"/>, which raise <see cref="Changed"/>. For persistence, subclass it or
/// use <see cref="AsyncAuthStore"/>; <see cref="ExportToJson"/>/<see cref="LoadFromJson"/> give a portable form.
/// </summary>
public class AuthStore
{
    private readonly object _gate = new();
    private string _token = "";
    private JsonObject? _record;

    /// <summary>The raw token ("" when signed out); sent as the Authorization header.</summary>
    public string Token { get { lock (_gate) return _token; } }

    /// <summary>The auth record (a copy of what the server returned at sign-in).</summary>
    public JsonObject? Record { get { lock (_gate) return _record?.DeepClone().AsObject(); } }

    /// <summary>A token is set and not expired (read from its exp claim, not verified).</summary>
    public bool IsValid => Jwt.IsValid(Token);

    /// <summary>The signed-in record belongs to _superusers.</summary>
    public bool IsSuperuser
    {
        get
        {
            var payload = Jwt.Payload(Token);
            return payload["type"]?.GetValue<string>() == "auth"
                && (Record?["collectionName"]?.GetValue<string>() == "_superusers" || payload["collectionId"]?.GetValue<string>() == "pbc_3142635823");
        }
    }

    /// <summary>Raised after every <see cref="Save"/> and <see cref="Clear"/>.</summary>
    public event EventHandler<AuthChangedEventArgs>? Changed;

    public virtual void Save(string token, JsonObject? record)
    {
        lock (_gate)
        {
            _token = token ?? "";
            _record = record?.DeepClone().AsObject();
        }
        Changed?.Invoke(this, new AuthChangedEventArgs(token ?? "", record));
    }

    public virtual void Clear() => Save("", null);

    /// <summary>{"token": "...", "record": {...}}: what <see cref="LoadFromJson"/> reads back.</summary>
    public string ExportToJson()
    {
        lock (_gate) return new JsonObject { ["token"] = _token, ["record"] = _record?.DeepClone() }.ToJsonString();
    }

    /// <summary>Restores what <see cref="ExportToJson"/> wrote; anything unreadable signs out.</summary>
    public void LoadFromJson(string? json)
    {
        try
        {
            if (!string.IsNullOrEmpty(json) && JsonNode.Parse(json) is JsonObject o && o["token"] is JsonValue t && t.TryGetValue<string>(out var token))
            {
                Save(token, o["record"] as JsonObject);
                return;
            }
        }
        catch (JsonException)
        {
        }
        Clear();
    }
}
