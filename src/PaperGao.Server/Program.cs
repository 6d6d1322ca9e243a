using PaperGao.Server.Cli;

namespace PaperGao.Server;

/// <summary>The papergao executable (also the entry point test hosts start in process).</summary>
public sealed class Program
{
    private Program() { }

    public static Task<int> Main(string[] args) => CommandLine.RunAsync(args);
}
