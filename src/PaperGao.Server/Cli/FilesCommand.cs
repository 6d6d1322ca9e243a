using System.Globalization;
using PaperGao.Api;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;

namespace PaperGao.Server.Cli;

/// <summary>
/// papergao files gc [--project main | --all] [--dry-run] [--grace-seconds 3600]: deletes stored files no record
/// references (what the periodic job does), and prints what it found.
/// </summary>
public static class FilesCommand
{
    public static async Task<int> RunAsync(ParsedArgs args)
    {
        if (args.Positionals.ElementAtOrDefault(0) != "gc" || args.Positionals.Count > 1)
        {
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return 2;
        }
        var dryRun = args.Passthrough.Contains("--dry-run");
        var all = args.Passthrough.Contains("--all");
        var grace = FileGarbageCollector.DefaultGrace;
        var graceArg = args.Passthrough.FirstOrDefault(a => a.StartsWith("--grace-seconds=", StringComparison.Ordinal));
        if (graceArg is not null)
        {
            if (!int.TryParse(graceArg["--grace-seconds=".Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                await Console.Error.WriteLineAsync("--grace-seconds=N needs a whole number of seconds.");
                return 2;
            }
            grace = TimeSpan.FromSeconds(seconds);
        }
        await using var registry = new ProjectRegistry(PaperGaoApiExtensions.CreateProvider(new PaperGaoOptions { Dir = args.Dir, Db = args.Db }));
        await registry.InitializeAsync();
        IReadOnlyList<string> names = all ? await registry.ListAsync() : [args.Project];
        foreach (var name in names)
        {
            var project = await registry.GetAsync(name);
            if (project is null) { await Console.Error.WriteLineAsync($"No project '{name}'."); return 1; }
            var r = await FileGarbageCollector.RunAsync(project, grace, dryRun);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{name} ({project.Storage.Kind}): {r.Scanned} objects, {r.Deleted} unreferenced {(dryRun ? "(dry run, kept)" : "deleted")}, {r.BytesFreed} bytes."));
        }
        return 0;
    }
}
