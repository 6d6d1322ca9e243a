using System.Text.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Client;

/// <summary>
/// Every failed request (like the JS SDK's ClientResponseError): the HTTP status (0 when no response arrived),
/// the error envelope {status, message, data} the server sent, and the per-field errors from its data.
/// </summary>
public sealed class ClientResponseException : Exception
{
    public ClientResponseException(string url, int status, JsonObject? response, Exception? inner = null)
        : base(MessageOf(status, response, inner), inner)
    {
        Url = url;
        Status = status;
        Response = response ?? [];
    }

    /// <summary>The request URL.</summary>
    public string Url { get; }

    /// <summary>The HTTP status; 0 when the request never got a response (network error, cancellation).</summary>
    public int Status { get; }

    /// <summary>The whole JSON error body (empty when there was none).</summary>
    public JsonObject Response { get; }

    /// <summary>True when the request was cancelled through its CancellationToken.</summary>
    public bool IsAbort => InnerException is OperationCanceledException;

    /// <summary>The "data" of the envelope: field name → {code, message} for validation errors.</summary>
    public JsonObject FieldErrors => Response["data"] as JsonObject ?? [];

    /// <summary>The error code of one field ("validation_required"...), or null.</summary>
    public string? FieldCode(string field) => (FieldErrors[field] as JsonObject)?["code"]?.GetValue<string>();

    /// <summary>Set when a sign-in needs a second factor: pass it to the next auth call (MFA).</summary>
    public string? MfaId => Response["mfaId"] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : null;

    private static string MessageOf(int status, JsonObject? response, Exception? inner)
    {
        if (response?["message"] is JsonValue m && m.GetValueKind() == JsonValueKind.String) return m.GetValue<string>();
        if (inner is OperationCanceledException) return "The request was cancelled.";
        if (inner is not null) return "Failed to connect to the server: " + inner.Message;
        return status == 0 ? "Something went wrong." : "The server answered " + status + ".";
    }
}
