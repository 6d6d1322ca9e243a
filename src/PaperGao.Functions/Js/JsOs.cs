using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>$os: only getenv, which reads the project's secrets (never the server's environment).</summary>
public sealed class JsOs(FunctionEngine engine)
{
    public string Getenv(string name) => engine.Context.Secret(name) ?? "";
}
