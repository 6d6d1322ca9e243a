using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PaperGao.Core.Common;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Setup;

/// <summary>
/// The one-time setup token of a data dir without a superuser: random, kept in memory only, valid for
/// <see cref="Lifetime"/> on the server's clock, usable once. <see cref="SetupAnnouncer"/> issues it at start; POST
/// /api/setup spends it.
/// </summary>
public sealed class FirstRunSetup(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly Lock _lock = new();
    private byte[]? _token;
    private DateTimeOffset _expires;

    /// <summary>Serializes setups, so two concurrent ones cannot both create a "first" superuser.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    /// <summary>The token issued and not yet used or expired (for the start-up message and tests); null otherwise.</summary>
    public string? CurrentToken
    {
        get
        {
            lock (_lock) return _token is not null && time.GetUtcNow() < _expires ? Encoding.ASCII.GetString(_token) : null;
        }
    }

    /// <summary>Issues a new token (replacing any earlier one) and returns it.</summary>
    public string Issue()
    {
        var token = RandomString.Alphanumeric(40);
        lock (_lock)
        {
            _token = Encoding.ASCII.GetBytes(token);
            _expires = time.GetUtcNow() + Lifetime;
        }
        return token;
    }

    /// <summary>True when the token is the issued one and has not expired (constant-time comparison). Does not spend it.</summary>
    public bool IsValid(string? token)
    {
        if (string.IsNullOrEmpty(token)) return false;
        lock (_lock)
        {
            return _token is not null && time.GetUtcNow() < _expires && CryptographicOperations.FixedTimeEquals(_token, Encoding.ASCII.GetBytes(token));
        }
    }

    /// <summary>Spends the token: it never works again.</summary>
    public void Spend()
    {
        lock (_lock) _token = null;
    }

    /// <summary>True when the project has at least one superuser.</summary>
    public static async Task<bool> HasSuperuserAsync(Project project, CancellationToken ct)
    {
        var d = project.Dialect;
        var n = await project.Database.ReadAsync(conn =>
            project.Database.ScalarAsync(conn, null, $"SELECT COUNT(*) FROM {d.Quote(ProjectInitializer.SuperusersName)}", null, ct), ct);
        return Convert.ToInt64(n ?? 0L, CultureInfo.InvariantCulture) > 0;
    }
}
