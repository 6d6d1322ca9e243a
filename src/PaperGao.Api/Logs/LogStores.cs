using System.Runtime.CompilerServices;
using PaperGao.Core.Logs;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Logs;

/// <summary>
/// The log database of each open project, opened on first use and handed to the project (closed with it, so a
/// deleted project's log database is closed before its files or schemas go).
/// </summary>
public sealed class LogStores(ProjectRegistry registry)
{
    private readonly ConditionalWeakTable<Project, Lazy<Task<LogStore>>> _stores = new();

    public async Task<LogStore> GetAsync(Project project)
    {
        var lazy = _stores.GetValue(project, p => new Lazy<Task<LogStore>>(() => OpenAsync(p)));
        try
        {
            return await lazy.Value;
        }
        catch
        {
            _stores.Remove(project); // try again next time (e.g. the database was briefly unreachable)
            throw;
        }
    }

    private async Task<LogStore> OpenAsync(Project project)
    {
        ObjectDisposedException.ThrowIf(project.IsClosed, project);
        var store = await LogStore.OpenAsync(await registry.Provider.OpenLogsAsync(project.Name));
        if (project.Own(store)) return store;
        await store.DisposeAsync();
        throw new ObjectDisposedException(project.Name);
    }
}
