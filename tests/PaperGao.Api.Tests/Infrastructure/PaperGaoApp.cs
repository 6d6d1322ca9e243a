using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// One in-process PaperGao server for one test: a fresh temp data dir, and for PostgreSQL a fresh database.
/// Dispose it at the end of the test (<c>await using</c>).
/// </summary>
public sealed class PaperGaoApp : IAsyncDisposable
{
    public const string SuperuserEmail = "admin@papergao.test";
    public const string SuperuserPassword = "Test-password-123";

    private IPaperGaoHost _host;
    private readonly TestDatabase? _database;
    private readonly SemaphoreSlim _tokenGate = new(1, 1);
    private string? _superuserToken;

    private PaperGaoApp(DatabaseKind kind, PaperGaoHostSettings settings, IPaperGaoHost host, TestDatabase? database)
    {
        Kind = kind;
        Settings = settings;
        _host = host;
        _database = database;
        Client = host.CreateClient();
    }

    public DatabaseKind Kind { get; }

    public PaperGaoHostSettings Settings { get; }

    /// <summary>A guest client (no Authorization header); a new one after <see cref="RestartAsync"/>.</summary>
    public HttpClient Client { get; private set; }

    public static Task<PaperGaoApp> StartAsync(DatabaseKind kind, PostgresCluster postgres, CancellationToken ct = default) =>
        StartAsync(kind, postgres, static _ => Task.CompletedTask, ct);

    /// <summary>Starts a server after <paramref name="prepare"/> ran on its data dir / database (e.g. an import through the CLI code).</summary>
    public static Task<PaperGaoApp> StartAsync(DatabaseKind kind, PostgresCluster postgres, Func<PaperGaoHostSettings, Task> prepare, CancellationToken ct = default) =>
        StartAsync(kind, postgres, prepare, null, ct);

    /// <summary>Starts a server whose time-driven work (cron, the functions refresh loop) reads <paramref name="time"/>.</summary>
    public static Task<PaperGaoApp> StartAsync(DatabaseKind kind, PostgresCluster postgres, TimeProvider time, CancellationToken ct = default) =>
        StartAsync(kind, postgres, static _ => Task.CompletedTask, time, ct);

    /// <summary>Starts a server whose projects hand their mail to <paramref name="sendmail"/> while their SMTP is off.</summary>
    public static Task<PaperGaoApp> StartWithSendmailAsync(DatabaseKind kind, PostgresCluster postgres, string sendmail, CancellationToken ct = default) =>
        StartAsync(kind, postgres, static _ => Task.CompletedTask, null, ct, sendmail);

    private static async Task<PaperGaoApp> StartAsync(DatabaseKind kind, PostgresCluster postgres, Func<PaperGaoHostSettings, Task> prepare, TimeProvider? time, CancellationToken ct, string? sendmail = null)
    {
        TestDatabase? database = kind == DatabaseKind.Postgres ? await postgres.CreateDatabaseAsync(ct) : null;
        var dir = Path.Combine(Path.GetTempPath(), "papergao-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var settings = new PaperGaoHostSettings(dir, database?.ConnectionString, time, sendmail);
        try
        {
            await prepare(settings);
            var host = CreateHost(settings);
            return new PaperGaoApp(kind, settings, host, database);
        }
        catch
        {
            if (database is not null) await database.DisposeAsync();
            TryDelete(dir);
            throw;
        }
    }

    /// <summary>
    /// A second node of the same cluster: its own data dir on this app's PostgreSQL database (the first app owns and
    /// drops the database), optionally with its own clock.
    /// </summary>
    public PaperGaoApp StartNode(TimeProvider? time = null)
    {
        if (Settings.Db is null) throw new InvalidOperationException("a second node needs a shared PostgreSQL database");
        var dir = Path.Combine(Path.GetTempPath(), "papergao-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        var settings = new PaperGaoHostSettings(dir, Settings.Db, time ?? Settings.Time);
        return new PaperGaoApp(Kind, settings, CreateHost(settings), null);
    }

    /// <summary>
    /// Stops the server (as on shutdown: its projects close, running work is handed back) and starts a new one on the
    /// same data dir and database. Clients made before it no longer reach a server: make new ones.
    /// </summary>
    public async Task RestartAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        _superuserToken = null;
        _host = CreateHost(Settings);
        Client = _host.CreateClient();
    }

    /// <summary>The glue to the server composition.</summary>
    private static IPaperGaoHost CreateHost(PaperGaoHostSettings settings) => new PaperGaoFactory(settings);

    public HttpClient CreateClient() => _host.CreateClient();

    /// <summary>The running server's services.</summary>
    public IServiceProvider Services => _host.Services;

    /// <summary>Upserts the test superuser once, signs in through the API and returns the token.</summary>
    public async Task<string> SuperuserTokenAsync(CancellationToken ct = default)
    {
        await _tokenGate.WaitAsync(ct);
        try
        {
            if (_superuserToken is not null) return _superuserToken;
            await _host.UpsertSuperuserAsync(SuperuserEmail, SuperuserPassword, ct);
            using var response = await Client.PostAsJsonAsync(
                "/api/collections/_superusers/auth-with-password",
                new { identity = SuperuserEmail, password = SuperuserPassword }, ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"superuser sign-in failed: {(int)response.StatusCode} {body}");
            _superuserToken = JsonNode.Parse(body)?["token"]?.GetValue<string>()
                ?? throw new InvalidOperationException("superuser sign-in returned no token: " + body);
            return _superuserToken;
        }
        finally
        {
            _tokenGate.Release();
        }
    }

    /// <summary>A client that sends the superuser token (raw, without "Bearer ", like the SDKs).</summary>
    public async Task<HttpClient> SuperuserClientAsync(CancellationToken ct = default)
    {
        var token = await SuperuserTokenAsync(ct);
        var client = _host.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", token);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _host.DisposeAsync();
        if (_database is not null) await _database.DisposeAsync();
        _tokenGate.Dispose();
        TryDelete(Settings.Dir);
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
