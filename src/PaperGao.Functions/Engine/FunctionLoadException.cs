namespace PaperGao.Functions.Engine;

/// <summary>A function file that does not load (syntax error, error at the top level): the file, line and column say where.</summary>
public sealed class FunctionLoadException(string file, int line, int column, string message, Exception? inner = null)
    : Exception($"{file}:{line}:{column}: {message}", inner)
{
    public string File { get; } = file;
    public int Line { get; } = line;
    public int Column { get; } = column;
    public string Reason { get; } = message;
}
