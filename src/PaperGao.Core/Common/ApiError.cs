namespace PaperGao.Core.Common;

/// <summary>
/// An error that becomes the PocketBase error envelope {status, message, data}.
/// Thrown anywhere below the HTTP layer; the API maps it 1:1 to the response.
/// </summary>
public sealed class ApiError(int status, string message, ErrorData? data = null, Exception? inner = null)
    : Exception(message, inner)
{
    public int Status { get; } = status;
    public ErrorData Details { get; } = data ?? new ErrorData();

    public static ApiError BadRequest(string message = "Something went wrong while processing your request.", ErrorData? data = null) => new(400, message, data);
    public static ApiError Unauthorized(string message = "Missing or invalid authentication.") => new(401, message);
    public static ApiError Forbidden(string message = "You are not allowed to perform this request.") => new(403, message);
    public static ApiError NotFound(string message = "The requested resource wasn't found.") => new(404, message);
    public static ApiError TooLarge(string message = "Request entity too large.") => new(413, message);
    public static ApiError SuperusersOnly() => Forbidden("Only superusers can perform this action.");
}
