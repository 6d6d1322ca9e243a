using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Infrastructure;
using PaperGao.Core.Backups;

namespace PaperGao.Api.Backups;

/// <summary>health's canBackup: no backup or restore of the project is running (PocketBase's meaning).</summary>
public static class BackupsHealth
{
    public static bool CanBackup(HttpContext ctx) =>
        ctx.ProjectOrNull() is { } p && ctx.RequestServices.GetService<BackupService>()?.ActiveOf(p.Name) is null;
}
