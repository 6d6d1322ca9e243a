using PaperGao.Api;
using PaperGao.Core.Projects;
using PaperGao.Core.TypeGen;

namespace PaperGao.Server.Cli;

/// <summary>papergao typegen --lang ts|cs: prints the project's collections as TypeScript or C# types (docs/sdks.md).</summary>
public static class TypeGenCommand
{
    private const string Usage = "Usage: papergao typegen [--lang ts|cs] [--namespace My.Models] [--project main] [--dir ...] [--db ...]";

    public static async Task<int> RunAsync(ParsedArgs args)
    {
        string? lang = "ts", ns = null;
        // ParsedArgs keeps "--lang ts" as the switch plus a positional; typegen has no positionals of its own, so the
        // values are taken in order.
        var values = new Queue<string>(args.Positionals);
        foreach (var a in args.Passthrough)
        {
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var (key, value) = eq > 0 ? (a[..eq], a[(eq + 1)..]) : (a, values.Count > 0 ? values.Dequeue() : null);
            if (key == "--lang") lang = value;
            else if (key == "--namespace") ns = value;
            else return await FailAsync($"Unknown option '{a}'.");
            if (value is null) return await FailAsync($"{key} needs a value.");
        }
        if (values.Count > 0) return await FailAsync($"Unexpected argument '{values.Peek()}'.");
        if (!TypeGenLanguages.TryParse(lang, out var language)) return await FailAsync($"--lang must be one of: {TypeGenLanguages.Accepted}.");
        if (ns is not null && !TypeGenOptions.IsValidNamespace(ns)) return await FailAsync("--namespace must be a dotted C# identifier like MyApp.Models.");
        await using var registry = new ProjectRegistry(PaperGaoApiExtensions.CreateProvider(new PaperGaoOptions { Dir = args.Dir, Db = args.Db }));
        await registry.InitializeAsync();
        var project = await registry.GetAsync(args.Project);
        if (project is null) return await FailAsync($"No project '{args.Project}'.", 1);
        var options = new TypeGenOptions { Project = project.Name, Namespace = ns ?? new TypeGenOptions().Namespace };
        Console.Out.Write(TypeGenLanguages.Generate(language, project.Collections.All, options));
        await Console.Out.FlushAsync();
        return 0;
    }

    private static async Task<int> FailAsync(string message, int code = 2)
    {
        await Console.Error.WriteLineAsync(message + Environment.NewLine + Usage);
        return code;
    }
}
