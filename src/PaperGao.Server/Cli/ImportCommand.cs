using PaperGao.Api;
using PaperGao.Core.Import.PocketBase;
using PaperGao.Core.Projects;

namespace PaperGao.Server.Cli;

/// <summary>papergao import pocketbase &lt;pb_data&gt;: moves a PocketBase project into a PaperGao project and prints the report.</summary>
public static class ImportCommand
{
    public static async Task<int> RunAsync(ParsedArgs args)
    {
        var unknown = args.Passthrough.Where(a => a is not ("--dry-run" or "--force" or "--logs")).ToList();
        if (args.Positionals.ElementAtOrDefault(0) != "pocketbase" || args.Positionals.Count != 2 || unknown.Count > 0)
        {
            await Console.Error.WriteLineAsync("Usage: papergao import pocketbase <pb_data> [--project main] [--dir ...] [--db ...] [--dry-run] [--force] [--logs]");
            return 2;
        }
        var options = new PocketBaseImportOptions
        {
            PbDataDir = args.Positionals[1],
            DryRun = args.Passthrough.Contains("--dry-run"),
            Force = args.Passthrough.Contains("--force"),
            Logs = args.Passthrough.Contains("--logs"),
        };
        await using var registry = new ProjectRegistry(PaperGaoApiExtensions.CreateProvider(new PaperGaoOptions { Dir = args.Dir, Db = args.Db }));
        try
        {
            var report = await PocketBaseImporter.RunAsync(registry, args.Project, options);
            Console.Write(report.ToString());
            Console.WriteLine(options.DryRun ? "Dry run: nothing was written." : $"Imported into project '{args.Project}'.");
            return 0;
        }
        catch (PocketBaseImportException e)
        {
            await Console.Error.WriteLineAsync("Import failed: " + e.Message);
            return 1;
        }
    }
}
