using System.Data.Common;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Common;
using PaperGao.Core.Data.Schema;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;
using PaperGao.Core.Settings;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>
/// Moves a PocketBase (0.23+) pb_data folder into a PaperGao project: collections with their ids, field ids, rules,
/// indexes, view queries and auth options (token secrets and durations kept, so issued tokens stay valid), every record
/// as stored, the settings, and the files of storage/. All or nothing: the database work is one transaction, the files
/// written are removed again and a project created by the import is deleted when anything fails.
/// </summary>
public static class PocketBaseImporter
{
    private static readonly CollectionImportOptions KeepEverything = new() { KeepSecrets = true, KeepMetadata = true };

    public static async Task<ImportReport> RunAsync(ProjectRegistry registry, string projectName, PocketBaseImportOptions options, CancellationToken ct = default)
    {
        if (!ProjectNames.IsValid(projectName))
            throw new PocketBaseImportException($"'{projectName}' is not a valid project name: use 1-40 lowercase letters, digits, '_' or '-', starting with a letter.");
        await using var pb = await PbDataFolder.OpenAsync(options.PbDataDir, ct);
        var report = new ImportReport { Source = pb.Dir, Project = projectName, DryRun = options.DryRun, PocketBaseVersion = PbDataFolder.VersionLine };
        var collections = await ReadCollectionsAsync(pb, ct);
        await ReportLeftOutAsync(pb, collections, options, report, ct);

        var exists = await registry.Provider.ExistsAsync(projectName, ct);
        if (exists)
        {
            var target = await registry.GetAsync(projectName, ct) ?? throw new PocketBaseImportException($"Project '{projectName}' can't be opened.");
            var data = await DataSummaryAsync(target, ct);
            if (data is not null && !options.Force)
                throw new PocketBaseImportException($"Project '{projectName}' already has data ({data}). Use --force to replace its content with the import, or import into a new project with --project.");
        }

        if (options.DryRun)
        {
            var counter = new PbFileCopier(pb.StorageDir, null, report);
            foreach (var c in collections)
            {
                var line = report.Add(c.Name, c.Type);
                if (!c.IsView) await PbRecordCopier.CountAsync(pb, c, counter, line, ct);
            }
            await PbSettingsMapper.MapAsync(pb, new ProjectSettings(), report, ct);
            return report;
        }

        // "main" is created on first use and never deleted; a failed import leaves it as the rolled back transaction found it.
        var project = exists || projectName == ProjectNames.Default ? (await registry.GetAsync(projectName, ct))! : await registry.CreateAsync(projectName, ct);
        PbFileCopier? files = null;
        try
        {
            var settings = await PbSettingsMapper.MapAsync(pb, project.Settings, report, ct);
            var storage = FileStorageFor(project, settings, report);
            files = new PbFileCopier(storage is null ? null : pb.StorageDir, storage, report);
            await ImportIntoAsync(pb, project, collections, settings, files, options, report, ct);
        }
        catch (Exception ex)
        {
            if (files is not null) await files.RollbackAsync(CancellationToken.None);
            if (!exists && projectName != ProjectNames.Default) await registry.DeleteAsync(projectName, CancellationToken.None);
            if (ex is ApiError api)
                throw new PocketBaseImportException(
                    api.Message + (api.Details.IsEmpty ? "" : " " + NameCollections(ErrorText.Describe(api.Details), collections)) + " Nothing was imported.", api);
            throw;
        }
        if (options.Logs) await ImportLogsAsync(pb, registry, projectName, report, ct);
        return report;
    }

    /// <summary>With --logs: auxiliary.db's request logs into the project's log database (after the data committed).</summary>
    private static async Task ImportLogsAsync(PbDataFolder pb, ProjectRegistry registry, string projectName, ImportReport report, CancellationToken ct)
    {
        await using var aux = await pb.OpenAuxiliaryAsync(ct);
        if (aux is null || await PbLogCopier.CountAsync(aux, ct) is null) return;
        try
        {
            report.Logs = await PbLogCopier.CopyAsync(aux, registry.Provider, projectName, ct);
        }
        catch (Exception ex) when (ex is DbException or InvalidOperationException)
        {
            report.Warn("request logs not imported (the data import is complete): " + ex.Message);
        }
    }

    /// <summary>"collections.3.fields..." in a validation message becomes "collections.demo4.fields..." (the import lists them in source order).</summary>
    private static string NameCollections(string message, List<PbCollection> collections) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"collections\.(\d+)\.", m =>
            int.TryParse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture, out var i) && i < collections.Count ? $"collections.{collections[i].Name}." : m.Value);

    private static async Task<List<PbCollection>> ReadCollectionsAsync(PbDataFolder pb, CancellationToken ct)
    {
        var collections = await PbCollectionReader.ReadAsync(pb, ct);
        var clashes = collections.Select(c => PbNames.ClashOf(c)).OfType<string>().ToList();
        if (clashes.Count > 0)
            throw new PocketBaseImportException("Some PocketBase collection names can't be used in PaperGao: " + string.Join("; ", clashes) +
                ". Rename them in PocketBase (the dashboard keeps their ids and data), then import again.");
        foreach (var c in collections.Where(c => !c.IsView && !pb.Tables.Contains(c.Name)))
            throw new PocketBaseImportException($"data.db has no table for the PocketBase collection '{c.Name}'.");
        return collections;
    }

    /// <summary>Everything in the folder this import does not move, with the reason.</summary>
    private static async Task ReportLeftOutAsync(PbDataFolder pb, List<PbCollection> collections, PocketBaseImportOptions options, ImportReport report, CancellationToken ct)
    {
        var parent = Path.GetDirectoryName(pb.Dir.TrimEnd(Path.DirectorySeparatorChar));
        foreach (var folder in (string[])["pb_hooks", "pb_migrations", "pb_public"])
        {
            foreach (var dir in new[] { Path.Combine(pb.Dir, folder), parent is null ? null : Path.Combine(parent, folder) })
            {
                if (dir is null || !Directory.Exists(dir)) continue;
                report.Skip(dir, folder switch
                {
                    "pb_hooks" => "JavaScript hooks are PocketBase code; PaperGao does not run them (they become relevant once PaperGao functions exist)",
                    "pb_migrations" => "migration scripts are PocketBase code; the schema they produced is imported, the scripts are not run",
                    _ => "static files served by PocketBase; serve them with your web server or CDN",
                });
            }
        }
        if (Directory.Exists(Path.Combine(pb.Dir, "backups"))) report.Skip(Path.Combine(pb.Dir, "backups"), "PocketBase backup archives are not imported");
        var known = new HashSet<string>(collections.Select(c => c.Name), StringComparer.OrdinalIgnoreCase) { "_collections", "_params" };
        foreach (var table in pb.Tables.Where(t => !known.Contains(t) && !t.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)).Order(StringComparer.Ordinal))
        {
            report.Skip($"data.db table {table}", table == "_migrations"
                ? "PocketBase's migration history; the schema it led to is imported"
                : "not a collection of the pb_data");
        }
        await using var aux = await pb.OpenAuxiliaryAsync(ct);
        if (aux is null) return;
        if (!options.Logs)
        {
            report.Skip("auxiliary.db", "request logs are imported only with --logs");
            return;
        }
        if (await PbLogCopier.CountAsync(aux, ct) is null) report.Skip("auxiliary.db", "has no readable _logs table");
    }

    /// <summary>Null when the project holds no records; otherwise a short description of what it holds.</summary>
    private static Task<string?> DataSummaryAsync(Project p, CancellationToken ct) =>
        p.Database.ReadAsync(async conn =>
        {
            var nonEmpty = new List<string>();
            foreach (var c in p.Collections.All.Where(c => !c.IsView))
            {
                var any = await p.Database.ScalarAsync(conn, null, $"SELECT 1 FROM {p.Dialect.Quote(c.Name)} LIMIT 1", null, ct);
                if (any is not null) nonEmpty.Add(c.Name);
            }
            return nonEmpty.Count == 0 ? null : "records in " + string.Join(", ", nonEmpty);
        }, ct);

    /// <summary>
    /// The storage the files go to: the project's local folder. When PocketBase kept its files in S3, the imported settings
    /// point PaperGao at the same bucket, whose key layout is the same, so there is nothing to copy.
    /// </summary>
    private static IFileStorage? FileStorageFor(Project p, ProjectSettings settings, ImportReport report)
    {
        if (S3Settings.From(settings.Extra["s3"]) is { Enabled: true } s3)
        {
            report.Skip("storage/", $"PocketBase keeps its files in the S3 bucket '{s3.Bucket}'; PaperGao reads the same bucket with the same keys, so nothing is copied");
            return null;
        }
        return FileStorageFactory.Create(settings, p.StorageDir);
    }

    private static async Task ImportIntoAsync(PbDataFolder pb, Project p, List<PbCollection> collections, ProjectSettings settings, PbFileCopier files,
        PocketBaseImportOptions options, ImportReport report, CancellationToken ct)
    {
        await p.SchemaLock.WaitAsync(ct);
        try
        {
            var final = await p.Database.WriteAsync(async tx =>
            {
                var current = await DropUserCollectionsAsync(p, tx, ct);
                var items = new JsonArray();
                foreach (var c in collections) items.Add(DefinitionFor(c, current, report));
                var set = await CollectionService.ImportInTransactionAsync(p, tx, current, items, deleteMissing: false, KeepEverything, ct);
                foreach (var c in set.All.Where(c => !c.IsView))
                    await p.Database.ExecuteAsync(tx, $"DELETE FROM {p.Dialect.Quote(c.Name)}", null, ct);
                foreach (var source in collections)
                {
                    var line = report.Add(source.Name, source.Type);
                    if (source.IsView) continue;
                    var target = set.FindById(source.Id) ?? set.FindByName(source.Name)
                        ?? throw new PocketBaseImportException($"The collection '{source.Name}' was not created.");
                    await PbRecordCopier.CopyAsync(pb, p, tx, target, source, files, line, report, options.BatchSize, ct);
                }
                await ProjectInitializer.SaveSettingsAsync(p.Database, tx, settings, p.Now(), ct);
                return set;
            }, ct);
            p.SetCollections(final);
            p.SetSettings(settings);
        }
        finally
        {
            p.SchemaLock.Release();
        }
    }

    /// <summary>
    /// Removes the target's own (non-system) collections inside the transaction: the import replaces them. A new project
    /// only has the default "users"; an existing one gets here only with --force. Returns the collections left.
    /// </summary>
    internal static async Task<CollectionSet> DropUserCollectionsAsync(Project p, DbTransaction tx, CancellationToken ct)
    {
        var current = p.Collections;
        var drop = current.All.Where(c => !c.System).ToList();
        foreach (var v in drop.Where(c => c.IsView)) await p.Database.ExecuteAsync(tx, p.Dialect.DropViewSql(v.Name), null, ct);
        foreach (var t in drop.Where(c => !c.IsView))
            await p.Database.ExecuteAsync(tx, $"DROP TABLE IF EXISTS {p.Dialect.Quote(t.Name)}", null, ct);
        foreach (var c in drop) await CollectionStore.DeleteAsync(p.Database, tx, c.Id, ct);
        return new CollectionSet(current.All.Where(c => c.System), current.Version + 1);
    }

    /// <summary>
    /// The collection JSON to import. A system collection both products have keeps PaperGao's fields and indexes (its
    /// features depend on them) and takes PocketBase's options (token secrets and durations, templates, MFA/OTP), rules
    /// and created/updated times (a list sorted by `created` then orders them as PocketBase did).
    /// </summary>
    private static JsonObject DefinitionFor(PbCollection c, CollectionSet current, ImportReport report)
    {
        var json = (JsonObject)c.Json.DeepClone();
        if (json["indexes"] is JsonArray indexes)
        {
            foreach (var index in indexes.ToList())
            {
                var text = index?.GetValue<string>() ?? "";
                if (IndexDefinition.TryParse(text, out _, out var error)) continue;
                indexes.Remove(index);
                report.Skip($"{c.Name} index '{text}'", error + " Recreate it in PaperGao in a supported form if you need it");
            }
        }
        if (!PbNames.SharedSystem.Contains(c.Name)) return json;
        var own = current.FindByName(c.Name);
        if (own is null) return json;
        if (own.Id != c.Id) report.Warn($"{c.Name}: PocketBase id '{c.Id}' differs from PaperGao's '{own.Id}'; PaperGao's is kept.");
        foreach (var key in (string[])["fields", "indexes", "type", "system"]) json.Remove(key);
        json["id"] = own.Id;
        return json;
    }
}
