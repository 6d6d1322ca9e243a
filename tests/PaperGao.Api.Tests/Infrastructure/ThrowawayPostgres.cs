using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster in a temp directory: initdb, listen on 127.0.0.1 only on a free port, unix sockets
/// in the temp dir, trust authentication (local test use only), no fsync. Deleted on dispose.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(60);
    private readonly PostgresBinaries _bins;
    private readonly string _root;
    private int _stopped;

    private ThrowawayPostgres(PostgresBinaries bins, string root, int port)
    {
        _bins = bins;
        _root = root;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = PostgresBinaries.ServiceUser,
        Database = "postgres",
    }.ConnectionString;

    private string DataDir => Path.Combine(_root, "data");

    private string LogFile => Path.Combine(_root, "postgres.log");

    public static async Task<ThrowawayPostgres> StartAsync(PostgresBinaries bins)
    {
        var root = Path.Combine(Path.GetTempPath(), "papergao-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(root);
        try
        {
            await bins.GiveOwnershipAsync(root);
            var init = await bins.RunAsync(bins.InitDb,
                ["-D", Path.Combine(root, "data"), "-U", PostgresBinaries.ServiceUser, "--auth=trust",
                 "--encoding=UTF8", "--no-locale", "--no-sync", "--no-instructions"],
                TimeSpan.FromMinutes(2));
            if (!init.Succeeded) throw new InvalidOperationException($"initdb failed (exit {init.ExitCode}):\n{init.Output}");

            Exception? last = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var cluster = new ThrowawayPostgres(bins, root, FreePort());
                try
                {
                    await cluster.StartServerAsync();
                    return cluster;
                }
                catch (PortInUseException ex)
                {
                    last = ex; // another process grabbed the port between probe and bind: try a new one
                }
            }
            throw new InvalidOperationException("PostgreSQL could not bind a free port", last);
        }
        catch
        {
            TryDelete(root);
            throw;
        }
    }

    private async Task StartServerAsync()
    {
        // postgresql.conf: the last setting wins, so appending overrides initdb's defaults.
        var settings = string.Join('\n',
            "listen_addresses = '127.0.0.1'",
            $"port = {Port.ToString(CultureInfo.InvariantCulture)}",
            $"unix_socket_directories = '{_root}'",
            "max_connections = 300",
            "shared_buffers = 64MB",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "logging_collector = off",
            "");
        await File.AppendAllTextAsync(Path.Combine(DataDir, "postgresql.conf"), "\n# papergao tests\n" + settings);

        if (File.Exists(LogFile)) File.Delete(LogFile); // a previous attempt's "could not bind" must not be read again

        // -W: don't let pg_ctl wait; readiness is decided below by connecting.
        var start = await _bins.RunAsync(_bins.PgCtl, ["-D", DataDir, "-l", LogFile, "-W", "start"], TimeSpan.FromSeconds(30));
        if (!start.Succeeded) throw new InvalidOperationException($"pg_ctl start failed (exit {start.ExitCode}):\n{start.Output}\n{ReadLog()}");

        var deadline = Stopwatch.StartNew();
        var csb = new NpgsqlConnectionStringBuilder(AdminConnectionString) { Pooling = false, Timeout = 2 };
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(csb.ConnectionString);
                await conn.OpenAsync();
                await using var cmd = new NpgsqlCommand("SELECT 1", conn);
                await cmd.ExecuteScalarAsync();
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or SocketException or TimeoutException)
            {
                var log = ReadLog();
                if (log.Contains("Address already in use", StringComparison.Ordinal) || log.Contains("could not bind", StringComparison.Ordinal))
                {
                    await StopServerAsync();
                    throw new PortInUseException(log);
                }
                if (log.Contains("FATAL", StringComparison.Ordinal) && !log.Contains("the database system is starting up", StringComparison.Ordinal))
                {
                    await StopServerAsync();
                    throw new InvalidOperationException($"PostgreSQL failed to start:\n{log}");
                }
                if (deadline.Elapsed > ReadyDeadline)
                {
                    await StopServerAsync();
                    throw new InvalidOperationException($"PostgreSQL did not accept connections within {ReadyDeadline.TotalSeconds:0}s:\n{log}", ex);
                }
            }
            await Task.Delay(100);
        }
    }

    /// <summary>pg_ctl stop (fast, waits): the cluster refuses connections until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        var stop = await _bins.RunAsync(_bins.PgCtl, ["-D", DataDir, "-m", "fast", "-w", "stop"], TimeSpan.FromSeconds(60));
        if (!stop.Succeeded) throw new InvalidOperationException($"pg_ctl stop failed (exit {stop.ExitCode}):\n{stop.Output}");
    }

    /// <summary>Starts the stopped cluster again on the same port; returns once it accepts connections.</summary>
    public Task StartAgainAsync() => StartServerAsync();

    private async Task StopServerAsync()
    {
        if (!File.Exists(Path.Combine(DataDir, "postmaster.pid"))) return;
        await _bins.RunAsync(_bins.PgCtl, ["-D", DataDir, "-m", "immediate", "stop"], TimeSpan.FromSeconds(60));
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        NpgsqlConnection.ClearAllPools();
        await StopServerAsync();
        TryDelete(_root);
    }

    private string ReadLog()
    {
        try
        {
            return File.Exists(LogFile) ? File.ReadAllText(LogFile) : "(no log)";
        }
        catch (IOException ex)
        {
            return "(log unreadable: " + ex.Message + ")";
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

    private sealed class PortInUseException(string log) : Exception("port in use:\n" + log);
}
