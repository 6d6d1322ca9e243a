namespace PaperGao.Api.Tests.Import;

/// <summary>
/// The real PocketBase pb_data kept outside the repository (shared/fixtures/pocketbase-pb_data, found by walking up from the
/// test's folder). Tests that need it are skipped with a message when it is absent, and fail instead when
/// PAPERGAO_REQUIRE_FIXTURES=1 (set by .ci/run).
/// </summary>
internal static class PocketBaseFixture
{
    public const string RequireVariable = "PAPERGAO_REQUIRE_FIXTURES";
    private const string RelativePath = "shared/fixtures/pocketbase-pb_data";

    /// <summary>The fixture folder; skips (or fails) the calling test when it can't be found.</summary>
    public static string Dir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(Path.Combine(candidate, "data.db"))) return candidate;
        }
        var message = $"The PocketBase fixture ({RelativePath}) was not found above {AppContext.BaseDirectory}";
        if (Environment.GetEnvironmentVariable(RequireVariable) is "1" or "true") Assert.Fail(message + $" ({RequireVariable}=1, so this is a failure, not a skip).");
        Assert.Skip(message + $" (set {RequireVariable}=1 to make this a failure).");
        return "";
    }
}
