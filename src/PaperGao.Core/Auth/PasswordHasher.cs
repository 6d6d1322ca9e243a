namespace PaperGao.Core.Auth;

/// <summary>
/// bcrypt (cost 10 by default; PocketBase compatible, so imported hashes verify). Hashing runs with bounded
/// concurrency so a burst of sign-ins cannot take every core.
/// </summary>
public static class PasswordHasher
{
    public const int DefaultCost = 10;
    private static readonly SemaphoreSlim Slots = new(Math.Max(1, Environment.ProcessorCount), Math.Max(1, Environment.ProcessorCount));

    /// <summary>A valid hash of a random password: verifying against it costs the same as a real check (no user-enumeration timing).</summary>
    private static readonly Lazy<string> DummyHash = new(() => BCrypt.Net.BCrypt.HashPassword(Guid.NewGuid().ToString("N"), DefaultCost));

    public static async Task<string> HashAsync(string password, int cost = DefaultCost, CancellationToken ct = default)
    {
        await Slots.WaitAsync(ct);
        try
        {
            return await Task.Run(() => BCrypt.Net.BCrypt.HashPassword(password, cost <= 0 ? DefaultCost : cost), ct);
        }
        finally
        {
            Slots.Release();
        }
    }

    /// <summary>Verifies a password; with a null/empty hash it still spends the time of one check and returns false.</summary>
    public static async Task<bool> VerifyAsync(string password, string? hash, CancellationToken ct = default)
    {
        await Slots.WaitAsync(ct);
        try
        {
            return await Task.Run(() =>
            {
                var h = string.IsNullOrEmpty(hash) ? DummyHash.Value : hash;
                bool ok;
                try { ok = BCrypt.Net.BCrypt.Verify(password, h); }
                catch (BCrypt.Net.SaltParseException) { ok = false; }
                return ok && !string.IsNullOrEmpty(hash);
            }, ct);
        }
        finally
        {
            Slots.Release();
        }
    }

    /// <summary>The cost of a bcrypt hash ("$2a$04$..." → 4); 0 when the text is not a bcrypt hash.</summary>
    public static int CostOf(string? hash)
    {
        if (hash is null || hash.Length < 7 || hash[0] != '$' || hash[3] != '$' || hash[6] != '$') return 0;
        return char.IsAsciiDigit(hash[4]) && char.IsAsciiDigit(hash[5]) ? (hash[4] - '0') * 10 + (hash[5] - '0') : 0;
    }

    /// <summary>True when a verified hash was made with a lower cost than the wanted one (e.g. imported from PocketBase).</summary>
    public static bool NeedsRehash(string? hash, int wantedCost)
    {
        var cost = CostOf(hash);
        return cost > 0 && cost < (wantedCost <= 0 ? DefaultCost : wantedCost);
    }
}
