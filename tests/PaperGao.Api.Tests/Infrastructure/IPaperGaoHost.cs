namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// The seam between the test helpers and the server composition: a running in-process server plus the one
/// administrative hook the tests need. <see cref="PaperGaoFactory"/> implements it over
/// <c>WebApplicationFactory&lt;Program&gt;</c>.
/// </summary>
public interface IPaperGaoHost : IAsyncDisposable
{
    /// <summary>A client whose requests go straight into the in-process pipeline.</summary>
    HttpClient CreateClient();

    /// <summary>The running server's services (for tests that need in-process state, e.g. the first-run setup token).</summary>
    IServiceProvider Services { get; }

    /// <summary>Creates or updates a superuser of the default project (what <c>papergao superuser upsert</c> does).</summary>
    Task UpsertSuperuserAsync(string email, string password, CancellationToken ct);
}
