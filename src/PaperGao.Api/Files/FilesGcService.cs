using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Files;

/// <summary>
/// The periodic run of <see cref="FileGarbageCollector"/> over every project (PaperGaoOptions.FilesGcInterval; zero
/// turns it off). A failing run is logged and retried at the next interval; it never stops the server.
/// </summary>
public sealed class FilesGcService(ProjectRegistry registry, PaperGaoOptions options, ILogger<FilesGcService> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.FilesGcInterval <= TimeSpan.Zero) return;
        using var timer = new PeriodicTimer(options.FilesGcInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var name in await registry.ListAsync(stoppingToken))
            {
                try
                {
                    var project = await registry.GetAsync(name, stoppingToken);
                    if (project is null) continue;
                    var r = await FileGarbageCollector.RunAsync(project, FileGarbageCollector.DefaultGrace, ct: stoppingToken);
                    if (r.Deleted > 0) log.LogInformation("Files GC of {Project}: {Deleted} unreferenced objects deleted ({Bytes} bytes)", name, r.Deleted, r.BytesFreed);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    log.LogWarning(e, "Files GC of {Project} failed", name);
                }
            }
        }
    }
}
