using System.Text.Json.Nodes;
using Jint;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Common;

namespace PaperGao.Functions.Engine;

/// <summary>
/// Turns what a function threw into the answer: an ApiError (or BadRequestError, ...) thrown by the function keeps its
/// status, message and data; anything else (an Error, a broken limit) is a 500 for that call, logged with file and line.
/// </summary>
public static partial class FunctionErrors
{
    public static bool BreaksEngine(Exception e) =>
        e is TimeoutException or MemoryLimitExceededException or StatementsCountOverflowException or RecursionDepthOverflowException
            or ExecutionCanceledException or OperationCanceledException or InsufficientExecutionStackException;

    public static (string File, int Line, int Column) Where(Exception e, string fallbackFile)
    {
        if (e is JavaScriptException js && js.Location.SourceFile is { } src && js.Location.Start.Line > 0)
            return (src, js.Location.Start.Line, js.Location.Start.Column + 1);
        if (JintException.TryGetJavaScriptLocation(e, out var loc) && loc.Start.Line > 0)
            return (loc.SourceFile ?? fallbackFile, loc.Start.Line, loc.Start.Column + 1);
        return (fallbackFile, 0, 0);
    }

    public static string Describe(Exception e) => e switch
    {
        TimeoutException => "time limit exceeded",
        MemoryLimitExceededException => "memory limit exceeded",
        StatementsCountOverflowException => "statement limit exceeded",
        RecursionDepthOverflowException or InsufficientExecutionStackException => "recursion limit exceeded",
        ExecutionCanceledException or OperationCanceledException => "canceled",
        JavaScriptException js => js.Message,
        _ => e.Message,
    };

    public static ApiError ToApiError(Exception e, Registration r, FunctionRuntimeContext context)
    {
        if (e is JavaScriptException js && AsThrownApiError(js.Error) is { } thrown) return thrown;
        var (file, line, column) = Where(e, r.File);
        var what = Describe(e);
        context.Log.LogFunctionError(context.Project.Name, file, line, what);
        context.LogSink?.Invoke("error", Name(r), $"{file}:{line}:{column}: {what}", "");
        return new ApiError(500, "Something went wrong while processing your request.", null, e);
    }

    /// <summary>A function's name in logs: the route, hook or cron job it serves.</summary>
    public static string Name(Registration r) => r.Kind switch
    {
        RegistrationKind.Route => r.Key + " " + r.Path,
        RegistrationKind.Cron => "cron " + r.Key,
        RegistrationKind.Middleware => "routerUse",
        _ => r.Key,
    };

    /// <summary>An object thrown with a numeric status (ApiError and its subclasses, or any {status, message}).</summary>
    private static ApiError? AsThrownApiError(JsValue error)
    {
        if (error is not ObjectInstance o) return null;
        var status = o.Get("status");
        if (!status.IsNumber()) return null;
        var code = (int)status.AsNumber();
        if (code is < 400 or > 599) return null;
        var message = o.Get("message");
        var data = new ErrorData();
        if (o.Get("data") is ObjectInstance d)
        {
            foreach (var key in d.GetOwnPropertyKeys())
            {
                var v = d.Get(key);
                if (v is ObjectInstance vo)
                {
                    var c = vo.Get("code");
                    var m = vo.Get("message");
                    data.Add(key.ToString(), new FieldError(c.IsString() ? c.AsString() : "validation_invalid_value", m.IsString() ? m.AsString() : "Invalid value."));
                }
                else
                {
                    data.Add(key.ToString(), new FieldError("validation_invalid_value", v.ToString()));
                }
            }
        }
        return new ApiError(code, message.IsString() && message.AsString().Length > 0 ? message.AsString() : "Something went wrong while processing your request.", data);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Function error in project {Project} at {File}:{Line}: {What}")]
    public static partial void LogFunctionError(this ILogger log, string project, string file, int line, string what);
}
