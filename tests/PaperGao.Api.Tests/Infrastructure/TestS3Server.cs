using System.Net.Http.Json;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// A real S3-compatible server on 127.0.0.1 for one test: tests/s3-server/server.mjs (npm s3rver) with one bucket,
/// its objects stored in a temp folder. Its npm packages must be installed (test.sh and .ci/run run `npm ci` there).
/// </summary>
public sealed class TestS3Server : IAsyncDisposable
{
    public const string Bucket = "papergao-test";
    public const string AccessKey = "S3RVER";
    public const string Secret = "S3RVER";

    private readonly NodeTestServer _server;

    private TestS3Server(NodeTestServer server) => _server = server;

    public int Port => _server.Port;

    public string Endpoint => $"http://localhost:{Port}"; // the test host allow-lists "localhost" (not 127.0.0.1) for outbound requests

    /// <summary>The folder s3rver keeps its objects in (a test can check that nothing lands outside the bucket).</summary>
    public string Folder => _server.Folder;

    public static async Task<TestS3Server> StartAsync(CancellationToken ct) =>
        new(await NodeTestServer.StartAsync("s3-server", "s3rver", ct, Bucket));

    /// <summary>The "s3" settings section pointing at this server.</summary>
    public object SettingsSection => new { enabled = true, bucket = Bucket, region = "us-east-1", endpoint = Endpoint, accessKey = AccessKey, secret = Secret, forcePathStyle = true };

    /// <summary>Switches the app's default project to this server (PATCH /api/settings as a superuser).</summary>
    public async Task ConfigureAsync(PaperGaoApp app, CancellationToken ct)
    {
        using var su = await app.SuperuserClientAsync(ct);
        using var r = await su.PatchAsJsonAsync("/api/settings", new { s3 = SettingsSection }, ct);
        if (!r.IsSuccessStatusCode) throw new InvalidOperationException($"PATCH /api/settings: {(int)r.StatusCode} {await r.Content.ReadAsStringAsync(ct)}");
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
