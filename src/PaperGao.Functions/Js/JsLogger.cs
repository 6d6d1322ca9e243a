using System.Text;
using Jint.Native;
using Microsoft.Extensions.Logging;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>$app.logger() (slog style: message then key/value pairs) and console.*: into the project's logs with the function's name.</summary>
public sealed class JsLogger(FunctionEngine engine, string source)
{
    public void Debug(string message, params JsValue[] attrs) => Write("debug", message, attrs);
    public void Info(string message, params JsValue[] attrs) => Write("info", message, attrs);
    public void Warn(string message, params JsValue[] attrs) => Write("warn", message, attrs);
    public void Error(string message, params JsValue[] attrs) => Write("error", message, attrs);

    private void Write(string level, string message, JsValue[] attrs)
    {
        var data = new StringBuilder();
        for (var i = 0; i + 1 < attrs.Length; i += 2)
        {
            if (data.Length > 0) data.Append(' ');
            data.Append(JsConvert.Text(engine.Js, attrs[i])).Append('=').Append(JsConvert.Text(engine.Js, attrs[i + 1]));
        }
        Emit(engine, level, source, message, data.ToString());
    }

    public static void Emit(FunctionEngine engine, string level, string source, string message, string data)
    {
        const int max = 4096;
        if (message.Length > max) message = message[..max] + "…";
        if (data.Length > max) data = data[..max] + "…";
        var ctx = engine.Context;
        var lvl = level switch { "debug" => LogLevel.Debug, "warn" => LogLevel.Warning, "error" => LogLevel.Error, _ => LogLevel.Information };
        if (ctx.Log.IsEnabled(lvl)) ctx.Log.Log(lvl, "[{Project}] {Source}: {Message} {Data}", ctx.Project.Name, source, message, data);
        ctx.LogSink?.Invoke(level, source, message, data);
    }
}
