using PaperGao.Core.Auth;

namespace PaperGao.Core.Tests.Auth;

public sealed class PasswordHasherTests
{
    [Fact]
    public async Task A_low_cost_hash_verifies_and_asks_for_a_rehash()
    {
        var ct = TestContext.Current.CancellationToken;
        var weak = await PasswordHasher.HashAsync("pass-word-1", 4, ct);
        Assert.Equal(4, PasswordHasher.CostOf(weak));
        Assert.True(await PasswordHasher.VerifyAsync("pass-word-1", weak, ct));
        Assert.False(await PasswordHasher.VerifyAsync("pass-word-2", weak, ct));
        Assert.True(PasswordHasher.NeedsRehash(weak, 0));
        Assert.True(PasswordHasher.NeedsRehash(weak, 10));
        Assert.False(PasswordHasher.NeedsRehash(weak, 4));
        var strong = await PasswordHasher.HashAsync("pass-word-1", ct: ct);
        Assert.Equal(PasswordHasher.DefaultCost, PasswordHasher.CostOf(strong));
        Assert.False(PasswordHasher.NeedsRehash(strong, 0));
    }

    [Theory]
    [InlineData(null, 0)]
    [InlineData("", 0)]
    [InlineData("plain", 0)]
    [InlineData("$2a$xx$abc", 0)]
    [InlineData("$2b$12$abcdefghijklmnopqrstuv", 12)]
    public void Cost_is_read_from_bcrypt_hashes_only(string? hash, int cost)
    {
        Assert.Equal(cost, PasswordHasher.CostOf(hash));
        Assert.False(PasswordHasher.NeedsRehash(hash, 31) && cost == 0);
    }
}
