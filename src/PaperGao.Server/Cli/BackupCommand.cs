using PaperGao.Api;
using PaperGao.Core.Backups;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Server.Cli;

/// <summary>
/// papergao backup create [name.zip] | restore &lt;name.zip&gt; | list, for one project (--project). Works on the data
/// folder / database directly: restore with the server stopped (a running server restores through the API without
/// stopping: POST /api/backups/{name}/restore). A restore takes a backup from the project's backups folder (or its
/// backups S3 bucket); a file path is copied there first.
/// </summary>
public static class BackupCommand
{
    public const string Usage = "Usage: papergao backup create [<name>.zip] | restore <name.zip or path> | list  [--project main] [--dir ...] [--db ...]";

    public static async Task<int> RunAsync(ParsedArgs args)
    {
        var action = args.Positionals.ElementAtOrDefault(0);
        if (action is not ("create" or "restore" or "list") || (action == "restore" && args.Positionals.Count != 2) || args.Positionals.Count > 2 || args.Passthrough.Count > 0)
        {
            await Console.Error.WriteLineAsync(Usage);
            return 2;
        }
        await using var registry = new ProjectRegistry(PaperGaoApiExtensions.CreateProvider(new PaperGaoOptions { Dir = args.Dir, Db = args.Db }));
        var project = await registry.GetAsync(args.Project);
        if (project is null)
        {
            await Console.Error.WriteLineAsync($"No project '{args.Project}'.");
            return 1;
        }
        var service = new BackupService(registry);
        try
        {
            switch (action)
            {
                case "create":
                    var name = args.Positionals.ElementAtOrDefault(1) ?? BackupNames.Generate(project.Settings.Meta.AppName, "pb_backup_", project.Time.GetUtcNow());
                    var m = await service.CreateAsync(project, name);
                    using (var store = BackupStore.For(project))
                        Console.WriteLine($"Backup {name} of project '{project.Name}' written ({store.Kind}{(store.Kind == "local" ? ": " + Path.Combine(store.LocalDir, name) : "")}): {m.Collections} collections, {m.Records} records, {m.Files} files.");
                    return 0;
                case "list":
                    using (var store = BackupStore.For(project))
                    {
                        foreach (var b in await store.ListAsync()) Console.WriteLine($"{b.Key}\t{b.Size}\t{DateTimes.Format(b.Modified)}");
                    }
                    return 0;
                default:
                    var key = await StageAsync(service, project, args.Positionals[1]);
                    await service.RestoreAsync(project, key);
                    Console.WriteLine($"Project '{project.Name}' restored from {key}.");
                    return 0;
            }
        }
        catch (ApiError e)
        {
            await Console.Error.WriteLineAsync("Backup failed: " + ErrorLines(e));
            return 1;
        }
    }

    /// <summary>A stored backup's name as is; a path to a zip is uploaded into the project's backups first (under its file name).</summary>
    private static async Task<string> StageAsync(BackupService service, Project project, string arg)
    {
        if (BackupNames.IsValid(arg) && !File.Exists(arg)) return arg;
        if (!File.Exists(arg)) throw ApiError.BadRequest($"'{arg}' is neither a stored backup nor a file.");
        var name = Path.GetFileName(arg);
        using (var store = BackupStore.For(project))
        {
            if (await store.ExistsAsync(name)) return name;
        }
        await using var fs = File.OpenRead(arg);
        await service.UploadAsync(project, name, fs);
        return name;
    }

    private static string ErrorLines(ApiError e) =>
        e.Message + string.Concat(e.Details.Items.Select(kv => $"{Environment.NewLine}  {kv.Key}: {(kv.Value is FieldError fe ? fe.Message : kv.Value.ToString())}"));
}
