namespace PaperGao.Functions.Engine;

/// <summary>One function source file: its name inside the functions folder (e.g. "main.pb.js", "lib/util.js") and its text.</summary>
public sealed record FunctionFile(string Name, string Code);
