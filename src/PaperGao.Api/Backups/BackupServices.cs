using Microsoft.Extensions.DependencyInjection;
using PaperGao.Core.Backups;
using PaperGao.Core.Projects;
using PaperGao.Core.Realtime;

namespace PaperGao.Api.Backups;

/// <summary>
/// Registers the backup service; a restored project's realtime clients are disconnected so they subscribe again, and the
/// other nodes of a cluster are told to reload it.
/// </summary>
public static class BackupServices
{
    public static IServiceCollection AddPaperGaoBackups(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var service = new BackupService(sp.GetRequiredService<ProjectRegistry>());
            service.Restored += sp.GetRequiredService<RealtimeBroker>().DisconnectProject;
            service.Restored += sp.GetRequiredService<RealtimeFanout>().AnnounceRestored; // the other nodes reload the project
            return service;
        });
        services.AddHostedService<BackupScheduler>();
        return services;
    }
}
