using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Records;

/// <summary>
/// Code inside a write (a hook bound in .NET) that catches the error of a nested write: a unique violation. On
/// PostgreSQL the failed statement aborted the whole transaction and a later COMMIT only answers ROLLBACK, so the
/// write must fail instead of being answered as saved with nothing stored. On SQLite the failed statement is undone
/// alone and the outer write commits (docs/scaling.md, "A write whose error was caught").
/// </summary>
public sealed class CaughtWriteErrorTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_write_whose_nested_failure_was_caught_is_not_answered_as_saved_when_PostgreSQL_rolled_it_back(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await SwallowNestedFailuresAsync(app, su, ct);

        foreach (var (id, title) in new[] { ("lastwrite000001", "after"), ("firstwrite00001", "before") })
        {
            var (status, body) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { id, title }, ct);
            var stored = (await SendAsync(su, HttpMethod.Get, $"/api/collections/posts/records/{id}", null, ct)).Status;
            if (db == DatabaseKind.Postgres)
            {
                // Before the fix: "after" answered 200 with nothing stored, "before" a 500 (the INSERT refused with 25P02).
                Assert.True(status == 400, $"{title}: {status} {body?.ToJsonString()}");
                Assert.Equal(new WriteRolledBackException(new InvalidOperationException()).Message, (string?)body!["message"]);
                Assert.Equal(404, stored);
            }
            else
            {
                // SQLite undid the failed statement alone: the post is saved, the nested tag is not.
                Assert.True(status == 200, $"{title}: {status} {body?.ToJsonString()}");
                Assert.Equal(200, stored);
            }
        }
        Assert.Equal(1, (await GetJsonAsync(su, "/api/collections/tags/records", ct))["totalItems"]!.GetValue<int>());

        // The connection that carried a rolled-back write works on, and a plain write (its INSERT sent with the COMMIT) too.
        var (ok, created) = await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "plain" }, ct);
        Assert.True(ok == 200, created?.ToJsonString());
    }

    /// <summary>A "tags" collection with a unique text ("taken" stored) and a "posts" collection guests can create in.</summary>
    internal static async Task CreateTagsAndPostsAsync(HttpClient su, CancellationToken ct)
    {
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "tags",
            ["type"] = "base",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "text", ["type"] = "text" }),
            ["indexes"] = new JsonArray("CREATE UNIQUE INDEX idx_tags_text ON tags (text)"),
        }, ct);
        await CreateAsync(su, new JsonObject
        {
            ["name"] = "posts",
            ["type"] = "base",
            ["createRule"] = "",
            ["fields"] = new JsonArray(new JsonObject { ["name"] = "title", ["type"] = "text" }),
        }, ct);
        Assert.Equal(200, (await SendAsync(su, HttpMethod.Post, "/api/collections/tags/records", new { text = "taken" }, ct)).Status);
    }

    /// <summary>
    /// The collections of <see cref="CreateTagsAndPostsAsync"/> and a .NET before-create hook on posts that saves a
    /// second "taken" tag in the post's transaction and catches the unique violation: before the post's INSERT (title
    /// "before") or after it (title "after"); other titles save nothing more.
    /// </summary>
    internal static async Task SwallowNestedFailuresAsync(PaperGaoApp app, HttpClient su, CancellationToken ct)
    {
        await CreateTagsAndPostsAsync(su, ct);
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var full = new RequestInfo { IsSuperuser = true, Method = "POST" };
        project.Hooks.BeforeCreate.Bind(async (e, next) =>
        {
            if (e.Collection.Name != "posts")
            {
                await next();
                return;
            }
            var title = e.Record.GetString("title");
            if (title == "before") await SaveTakenTagAsync();
            await next();
            if (title == "after") await SaveTakenTagAsync();

            async Task SaveTakenTagAsync()
            {
                try
                {
                    await RecordWriter.CreateAsync(project, project.Collections.Find("tags")!, new JsonObject { ["text"] = "taken" }, full, e.Scope, ct);
                }
                catch (ApiError)
                {
                    // Swallowed: the write goes on as if nothing had happened.
                }
            }
        });
    }
}
