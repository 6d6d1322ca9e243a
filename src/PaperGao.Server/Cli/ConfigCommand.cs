using PaperGao.Server.Configuration;

namespace PaperGao.Server.Cli;

/// <summary>papergao config print: the effective configuration with secrets masked (parsing already failed on bad keys or values).</summary>
public static class ConfigCommand
{
    public static async Task<int> RunAsync(ParsedArgs args)
    {
        if (args.Positionals is not ["print"])
        {
            await Console.Error.WriteLineAsync("Usage: papergao config print [--config papergao.json] [options]");
            return 2;
        }
        await Console.Out.WriteAsync(ConfigPrinter.Print(args.Config));
        await Console.Out.FlushAsync();
        return 0;
    }
}
