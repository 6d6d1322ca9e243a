using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>A successful sign-in: the token, the auth record, and meta (OAuth2 provider data) when there is one.</summary>
public sealed record RecordAuthResult<T>(string Token, T Record, JsonObject? Meta);
