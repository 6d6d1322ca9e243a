using System.Net.Http.Json;
using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;

namespace PaperGao.Api.Tests.Parity;

/// <summary>Error envelopes are written with Go's escapes, like the other JSON answers (PocketBase's bytes).</summary>
public sealed class ErrorEnvelopeEscapesTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Error_envelopes_use_gos_escapes(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);

        // A message with double quotes (a view without an id column) and one with a quote and '<' in the name.
        using var view = await su.PostAsJsonAsync("/api/collections",
            new JsonObject { ["name"] = "v", ["type"] = "view", ["viewQuery"] = "select 1 as x" }, ct);
        Assert.Equal(400, (int)view.StatusCode);
        var text = await view.Content.ReadAsStringAsync(ct);
        Assert.Contains("\\\"id\\\"", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0022", text, StringComparison.Ordinal);

        using var name = await su.PostAsJsonAsync("/api/collections", new JsonObject { ["name"] = "<b>'x" }, ct);
        Assert.Equal(400, (int)name.StatusCode);
        text = await name.Content.ReadAsStringAsync(ct);
        Assert.Contains("'_'", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u0027", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", text, StringComparison.Ordinal); // still escaped as \u003c wherever it appears
        Assert.Equal("nosniff", name.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal(400, JsonNode.Parse(text)!["status"]!.GetValue<int>());
    }
}
