namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// Locates initdb and pg_ctl: env PAPERGAO_PG_BIN, then /usr/lib/postgresql/15/bin, then the newest
/// /usr/lib/postgresql/*/bin, then PATH. When the test process runs as root (initdb refuses to), every
/// command is wrapped in <c>runuser -u postgres --</c>.
/// </summary>
internal sealed class PostgresBinaries
{
    public const string BinEnvironmentVariable = "PAPERGAO_PG_BIN";
    public const string ServiceUser = "postgres";

    private PostgresBinaries(string initDb, string pgCtl, bool asRoot)
    {
        InitDb = initDb;
        PgCtl = pgCtl;
        RunsAsRoot = asRoot;
    }

    public string InitDb { get; }

    public string PgCtl { get; }

    /// <summary>True when commands are run through runuser as the postgres user.</summary>
    public bool RunsAsRoot { get; }

    public static PostgresBinaries? Find(out string reason)
    {
        var candidates = new List<string>();
        var fromEnv = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnv)) candidates.Add(fromEnv);
        candidates.Add("/usr/lib/postgresql/15/bin");
        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0)
                .Select(d => Path.Combine(d, "bin")));
        }
        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries));

        var dir = candidates.FirstOrDefault(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (dir is null)
        {
            reason = $"PostgreSQL binaries (initdb, pg_ctl) not found in ${BinEnvironmentVariable}, /usr/lib/postgresql/*/bin or PATH " +
                     "(install the Debian 'postgresql' package, or set PAPERGAO_TEST_POSTGRES_CONNSTRING to an existing server)";
            return null;
        }

        var asRoot = string.Equals(Environment.UserName, "root", StringComparison.Ordinal);
        if (asRoot && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser") && !File.Exists("/usr/bin/runuser"))
        {
            reason = "running as root but 'runuser' is missing, so initdb cannot run as the postgres user";
            return null;
        }
        reason = "";
        return new PostgresBinaries(Path.Combine(dir, "initdb"), Path.Combine(dir, "pg_ctl"), asRoot);
    }

    /// <summary>Runs a PostgreSQL tool as the right user.</summary>
    public Task<ProcessResult> RunAsync(string tool, IEnumerable<string> arguments, TimeSpan timeout)
    {
        if (!RunsAsRoot) return ProcessRunner.RunAsync(tool, arguments, timeout);
        return ProcessRunner.RunAsync("runuser", ["-u", ServiceUser, "--", tool, .. arguments], timeout);
    }

    /// <summary>Gives the postgres user ownership of a directory tree (no-op when not root).</summary>
    public async Task GiveOwnershipAsync(string path)
    {
        if (!RunsAsRoot) return;
        var result = await ProcessRunner.RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path], TimeSpan.FromSeconds(30));
        if (!result.Succeeded) throw new InvalidOperationException($"chown of {path} failed: {result.Output}");
    }
}
