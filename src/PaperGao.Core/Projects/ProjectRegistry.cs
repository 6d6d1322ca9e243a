using System.Collections.Concurrent;
using PaperGao.Core.Common;
using PaperGao.Core.Data;

namespace PaperGao.Core.Projects;

/// <summary>
/// The projects of this server, opened on first use and kept open. "main" always exists. Every project reads the
/// registry's clock (<paramref name="time"/>; the system clock unless a test moves a fake one).
/// </summary>
public sealed class ProjectRegistry(IDatabaseProvider provider, TimeProvider? time = null) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<Project>>> _open = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _lifecycle = new(1, 1);

    public IDatabaseProvider Provider { get; } = provider;

    /// <summary>The server's clock, given to every project it opens.</summary>
    public TimeProvider Time { get; } = time ?? TimeProvider.System;

    /// <summary>Raised once per project when it is opened (services bind its hooks here).</summary>
    public event Action<Project>? Opened;

    /// <summary>Raised when a project has been deleted.</summary>
    public event Action<string>? Deleted;

    /// <summary>Opens the default project (creating it on a fresh data dir).</summary>
    public Task<Project> InitializeAsync(CancellationToken ct = default) => OpenAsync(ProjectNames.Default, create: true, ct);

    /// <summary>The project, or null when it does not exist (or the name is invalid).</summary>
    public async Task<Project?> GetAsync(string name, CancellationToken ct = default)
    {
        if (_open.TryGetValue(name, out var lazy)) return await lazy.Value;
        if (name == ProjectNames.Default) return await OpenAsync(name, create: true, ct);
        if (!ProjectNames.IsValid(name) || !await Provider.ExistsAsync(name, ct)) return null;
        return await OpenAsync(name, create: false, ct);
    }

    /// <summary>The project when it is already open on this node (never opens one).</summary>
    public Project? FindOpen(string name) =>
        _open.TryGetValue(name, out var lazy) && lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully ? lazy.Value.Result : null;

    /// <summary>The projects open on this node now.</summary>
    public IEnumerable<Project> OpenProjects =>
        _open.Values.Where(l => l.IsValueCreated && l.Value.IsCompletedSuccessfully).Select(l => l.Value.Result);

    public Task<IReadOnlyList<string>> ListAsync(CancellationToken ct = default) => Provider.ListProjectsAsync(ct);

    public async Task<Project> CreateAsync(string name, CancellationToken ct = default)
    {
        if (!ProjectNames.IsValid(name))
            throw ApiError.BadRequest("Failed to create project.", new ErrorData().Add("name", new FieldError("validation_invalid_name", "Use 1-40 lowercase letters, digits, '_' or '-', starting with a letter.")));
        await _lifecycle.WaitAsync(ct);
        try
        {
            if (await Provider.ExistsAsync(name, ct))
                throw ApiError.BadRequest("Failed to create project.", new ErrorData().Add("name", new FieldError("validation_not_unique", "A project with this name already exists.")));
            return await OpenAsync(name, create: true, ct);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    public async Task DeleteAsync(string name, CancellationToken ct = default)
    {
        if (name == ProjectNames.Default) throw ApiError.BadRequest("The default project cannot be deleted.");
        await _lifecycle.WaitAsync(ct);
        try
        {
            if (!ProjectNames.IsValid(name) || !await Provider.ExistsAsync(name, ct)) throw ApiError.NotFound();
            if (_open.TryRemove(name, out var lazy)) await (await lazy.Value).DisposeAsync();
            await Provider.DeleteAsync(name, ct);
            Deleted?.Invoke(name);
        }
        finally
        {
            _lifecycle.Release();
        }
    }

    private async Task<Project> OpenAsync(string name, bool create, CancellationToken ct)
    {
        var lazy = _open.GetOrAdd(name, n => new Lazy<Task<Project>>(async () =>
        {
            var db = await Provider.OpenAsync(n, create, CancellationToken.None);
            try
            {
                var project = await ProjectInitializer.OpenAsync(n, db, Provider.StorageDir(n), Time, CancellationToken.None);
                Opened?.Invoke(project);
                return project;
            }
            catch
            {
                await db.DisposeAsync();
                throw;
            }
        }));
        try
        {
            return await lazy.Value.WaitAsync(ct);
        }
        catch
        {
            _open.TryRemove(new KeyValuePair<string, Lazy<Task<Project>>>(name, lazy));
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var (_, lazy) in _open)
        {
            if (lazy.IsValueCreated && lazy.Value.IsCompletedSuccessfully) await lazy.Value.Result.DisposeAsync();
        }
        _open.Clear();
    }
}
