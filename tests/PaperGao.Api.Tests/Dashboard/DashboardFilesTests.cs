using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Dashboard;

/// <summary>The embedded dashboard at /_/ (docs/dashboard.md). Static files only: no database involved.</summary>
public sealed partial class DashboardFilesTests(PostgresCluster postgres)
{
    [Fact]
    public async Task Index_is_html_revalidated_every_time_with_a_strict_csp()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Sqlite, postgres, ct);

        using var response = await app.Client.GetAsync("/_/", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.CacheControl?.NoCache);
        Assert.True(response.Headers.CacheControl?.NoStore);
        Assert.Null(response.Headers.ETag);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", string.Join(",", response.Headers.GetValues("X-Frame-Options")));
        var html = await response.Content.ReadAsStringAsync(ct);
        Assert.Contains("<div id=\"root\">", html, StringComparison.Ordinal);

        // The style nonce in the page is the one the policy names, and each response has its own.
        var nonce = Nonce().Match(html);
        Assert.True(nonce.Success, "no csp-nonce meta tag: " + html);
        Assert.Contains($"style-src 'self' 'nonce-{nonce.Groups[1].Value}';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("PAPERGAO_CSP_NONCE", html, StringComparison.Ordinal);
        var second = Nonce().Match(await app.Client.GetStringAsync("/_/", ct));
        Assert.NotEqual(nonce.Groups[1].Value, second.Groups[1].Value);
    }

    [Fact]
    public async Task Hashed_assets_are_immutable_gzipped_and_answer_304_to_their_etag()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Sqlite, postgres, ct);
        var html = await app.Client.GetStringAsync("/_/", ct);
        var script = ScriptSrc().Match(html);
        Assert.True(script.Success, "index.html names no script: " + html);

        using var plain = await app.Client.GetAsync(script.Groups[1].Value, ct);
        Assert.Equal(HttpStatusCode.OK, plain.StatusCode);
        Assert.Equal("text/javascript", plain.Content.Headers.ContentType?.MediaType);
        Assert.Equal("public, max-age=31536000, immutable", plain.Headers.CacheControl?.ToString());
        Assert.Empty(plain.Content.Headers.ContentEncoding);

        using var zipped = new HttpRequestMessage(HttpMethod.Get, script.Groups[1].Value);
        zipped.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var gz = await app.Client.SendAsync(zipped, ct);
        Assert.Equal("gzip", Assert.Single(gz.Content.Headers.ContentEncoding));
        Assert.True(gz.Content.Headers.ContentLength < plain.Content.Headers.ContentLength);

        using var again = new HttpRequestMessage(HttpMethod.Get, script.Groups[1].Value);
        again.Headers.IfNoneMatch.Add(plain.Headers.ETag!);
        using var notModified = await app.Client.SendAsync(again, ct);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
    }

    [Fact]
    public async Task Page_paths_fall_back_to_index_but_a_missing_asset_is_a_404_envelope()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Sqlite, postgres, ct);

        using var page = await app.Client.GetAsync("/_/collections/posts", ct);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);

        using var missing = await app.Client.GetAsync("/_/assets/missing-0000.js", ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/json", missing.Content.Headers.ContentType?.MediaType);

        using var traversal = await app.Client.GetAsync("/_/assets/..%2F..%2Fappsettings.json", ct);
        Assert.Equal(HttpStatusCode.NotFound, traversal.StatusCode);

        using var post = await app.Client.PostAsync("/_/", new StringContent("x"), ct);
        Assert.Equal(HttpStatusCode.NotFound, post.StatusCode);
    }

    [Fact]
    public async Task Slash_underscore_redirects_to_the_dashboard()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(DatabaseKind.Sqlite, postgres, ct);

        using var response = await app.Client.GetAsync("/_", ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.EndsWith("/_/", response.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
    }

    [GeneratedRegex("<meta property=\"csp-nonce\" nonce=\"([A-Za-z0-9+/=]{24})\"")]
    private static partial Regex Nonce();

    [GeneratedRegex("<script[^>]+src=\"(/_/assets/[^\"]+\\.js)\"")]
    private static partial Regex ScriptSrc();
}
