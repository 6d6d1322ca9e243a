using GraphQL;
using GraphQL.Execution;
using PaperGao.Core.Common;

namespace PaperGao.GraphQL.Execution;

/// <summary>An ApiError (the REST error) as a GraphQL error: same message, extensions { code, status, data } with per-field errors.</summary>
public sealed class ApiExecutionError : ExecutionError
{
    public ApiExecutionError(ApiError error) : base(error.Message)
    {
        Code = error.Status switch { 400 => "BAD_REQUEST", 401 => "UNAUTHORIZED", 403 => "FORBIDDEN", 404 => "NOT_FOUND", 413 => "TOO_LARGE", _ => "ERROR" };
        Extensions ??= new Dictionary<string, object?>();
        Extensions["status"] = error.Status;
        Extensions["data"] = DataOf(error.Details);
    }

    private static System.Text.Json.JsonElement DataOf(ErrorData details)
    {
        using var ms = new MemoryStream();
        using (var w = new System.Text.Json.Utf8JsonWriter(ms)) details.WriteTo(w);
        using var doc = System.Text.Json.JsonDocument.Parse(ms.ToArray());
        return doc.RootElement.Clone();
    }
}

/// <summary>Writes errors as message, locations, path and extensions { code, ... }: never a stack trace or an exception type.</summary>
public sealed class PaperGaoErrorInfoProvider : IErrorInfoProvider
{
    public ErrorInfo GetInfo(ExecutionError executionError)
    {
        ArgumentNullException.ThrowIfNull(executionError);
        var extensions = new Dictionary<string, object?>(StringComparer.Ordinal);
        if (executionError.Code is { Length: > 0 } code) extensions["code"] = code;
        if (executionError.Extensions is { } ext)
        {
            foreach (var (k, v) in ext) extensions[k] = v;
        }
        return new ErrorInfo { Message = executionError.Message, Extensions = extensions.Count > 0 ? extensions : null };
    }
}
