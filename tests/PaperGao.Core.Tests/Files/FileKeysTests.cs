using PaperGao.Core.Files;
using Xunit;

namespace PaperGao.Core.Tests.Files;

public class FileKeysTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void Builds_pocketbase_layout()
    {
        Assert.Equal("pbc_1/abc/a_1234567890.png", FileKeys.Original("pbc_1", "abc", "a_1234567890.png"));
        Assert.Equal("pbc_1/abc/thumbs_a.png/100x100t_a.png", FileKeys.Thumb("pbc_1", "abc", "a.png", "100x100t"));
        Assert.Equal("pbc_1/abc/", FileKeys.RecordPrefix("pbc_1", "abc"));
        Assert.Equal(("pbc_1", "abc", "a.png"), FileKeys.ParseThumb("pbc_1/abc/thumbs_a.png/100x100t_a.png"));
        Assert.Equal(("pbc_1", "abc", "a.png"), FileKeys.ParseOriginal("pbc_1/abc/a.png"));
        Assert.Null(FileKeys.ParseOriginal("pbc_1/abc/thumbs_a.png/100x100_a.png"));
    }

    [Theory]
    [InlineData("../etc/passwd")]
    [InlineData("a/../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("a/./b")]
    [InlineData("a//b")]
    [InlineData("a/b/")]
    [InlineData("a\\..\\b")]
    [InlineData("a/b\0c")]
    [InlineData("a/%2e%2e/b")]
    [InlineData("a/b\u2024\u2024")]
    [InlineData("")]
    [InlineData("C:/x")]
    public void Refuses_keys_that_could_leave_the_root(string key)
    {
        Assert.False(FileKeys.IsValid(key));
        Assert.Throws<ArgumentException>(() => FileKeys.Validate(key));
    }

    [Fact]
    public void Refuses_too_long_segments_and_keys()
    {
        Assert.False(FileKeys.IsValid("a/" + new string('x', 256)));
        Assert.True(FileKeys.IsValid("a/" + new string('x', 255)));
        Assert.False(FileKeys.IsValid(string.Join('/', Enumerable.Repeat(new string('x', 200), 6))));
    }

    [Fact]
    public void Prefixes_are_empty_or_end_with_a_slash()
    {
        Assert.True(FileKeys.IsValidPrefix(""));
        Assert.True(FileKeys.IsValidPrefix("a/b/"));
        Assert.False(FileKeys.IsValidPrefix("a/b"));
        Assert.False(FileKeys.IsValidPrefix("../"));
        Assert.False(FileKeys.IsValidPrefix("/"));
    }

    [Fact]
    public async Task Local_storage_round_trip_and_ranges()
    {
        var root = Path.Combine(Path.GetTempPath(), "pg-files-" + Guid.NewGuid().ToString("N"));
        try
        {
            IFileStorage s = new LocalFileStorage(root);
            await s.WriteAsync("c/r/a.txt", new MemoryStream("hello world"u8.ToArray()), "text/plain", Ct);
            await s.WriteAsync("c/r/thumbs_a.txt/1x1_a.txt", new MemoryStream("t"u8.ToArray()), "text/plain", Ct);
            await s.WriteAsync("c/q/b.txt", new MemoryStream("b"u8.ToArray()), "text/plain", Ct);
            Assert.True(await s.ExistsAsync("c/r/a.txt", Ct));
            Assert.Equal(11, (await s.StatAsync("c/r/a.txt", Ct))!.Length);
            await using (var part = (await s.OpenReadAsync("c/r/a.txt", 6, 3, Ct))!)
            {
                using var reader = new StreamReader(part.Stream);
                Assert.Equal("wor", await reader.ReadToEndAsync(Ct));
                Assert.Equal(11, part.Info.Length);
            }
            Assert.Null(await s.OpenReadAsync("c/r/missing.txt", ct: Ct));
            var keys = new List<string>();
            await foreach (var o in s.ListAsync("c/", Ct)) keys.Add(o.Key);
            Assert.Equal(["c/q/b.txt", "c/r/a.txt", "c/r/thumbs_a.txt/1x1_a.txt"], keys.Order(StringComparer.Ordinal));
            Assert.Equal(2, await s.DeletePrefixAsync("c/r/", Ct));
            Assert.False(Directory.Exists(Path.Combine(root, "c", "r")));
            await s.DeleteAsync("c/q/b.txt", Ct);
            Assert.False(Directory.Exists(Path.Combine(root, "c")));
            await Assert.ThrowsAsync<ArgumentException>(() => s.WriteAsync("../x", new MemoryStream(), "text/plain", Ct));
            Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(root)!, "x")));
        }
        finally
        {
            if (Directory.Exists(root)) Directory.Delete(root, true);
        }
    }
}
