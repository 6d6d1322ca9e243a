using System.Globalization;
using PaperGao.Api.Logs;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Analytics;

/// <summary>The bytes a project keeps: its database, its log database, its stored files and thumbnails.</summary>
public sealed record ProjectUsage(long Database, long Logs, long Files)
{
    public static async Task<ProjectUsage> MeasureAsync(Project project, LogStores logStores, CancellationToken ct)
    {
        var database = await project.Database.ReadAsync(async conn =>
            Convert.ToInt64(await project.Database.ScalarAsync(conn, null, project.Dialect.DatabaseSizeSql, null, ct) ?? 0L, CultureInfo.InvariantCulture), ct);
        var logs = await (await logStores.GetAsync(project)).SizeAsync(ct);
        var files = (await StorageUsage.MeasureAsync(project.Storage, ct)).Total;
        return new ProjectUsage(database, logs, files.Bytes + files.ThumbBytes);
    }

    public System.Text.Json.Nodes.JsonObject ToJson() => new() { ["database"] = Database, ["logs"] = Logs, ["files"] = Files };
}
