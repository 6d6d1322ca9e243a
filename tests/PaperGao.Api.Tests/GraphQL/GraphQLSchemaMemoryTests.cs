using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Projects;
using PaperGao.GraphQL.Execution;
using PaperGao.GraphQL.Schema;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>
/// The size and build time of a generated schema for a project with 50 collections (issue 18's benchmark: build under
/// 50 ms, memory per cached schema reported). The figures go to the test output; the bounds are loose, for a loaded machine.
/// </summary>
public sealed class GraphQLSchemaMemoryTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task A_schema_of_50_collections_is_built_quickly_and_stays_small(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        string? previous = null;
        for (var i = 0; i < 50; i++)
        {
            var fields = new JsonArray
            {
                new JsonObject { ["name"] = "a", ["type"] = "text" }, new JsonObject { ["name"] = "b", ["type"] = "number" },
                new JsonObject { ["name"] = "c", ["type"] = "bool" }, new JsonObject { ["name"] = "d", ["type"] = "json" },
                new JsonObject { ["name"] = "e", ["type"] = "date" },
            };
            if (previous is not null) fields.Add(new JsonObject { ["name"] = "rel", ["type"] = "relation", ["collectionId"] = previous, ["maxSelect"] = 1 });
            var (status, body) = await SendAsync(su, HttpMethod.Post, "/api/collections",
                new JsonObject { ["name"] = $"extra{i}", ["type"] = "base", ["listRule"] = "", ["viewRule"] = "", ["fields"] = fields }, ct);
            Assert.Equal(200, status);
            previous = body!["id"]!.GetValue<string>();
        }
        var project = (await app.Services.GetRequiredService<ProjectRegistry>().GetAsync(ProjectNames.Default, ct))!;
        var set = project.Collections;
        Assert.True(set.All.Count() >= 55);

        // Warm the builder once, then time and weigh fresh builds (kept alive, so the heap holds them all).
        SchemaBuilder.Build(set, GraphQLAccess.For(true));
        const int count = 5;
        var kept = new List<object>(count);
        // Bytes allocated by this thread while building (the build is synchronous): an upper bound of what a schema
        // keeps, and unlike the heap's total not moved by the other tests running in this process at the same time
        // (their garbage, collected between two readings, once made the heap difference negative).
        var before = GC.GetAllocatedBytesForCurrentThread();
        var times = new List<double>();
        for (var i = 0; i < count; i++)
        {
            var sw = Stopwatch.StartNew();
            kept.Add(SchemaBuilder.Build(set, GraphQLAccess.For(i % 2 == 0)));
            times.Add(sw.Elapsed.TotalMilliseconds);
        }
        var after = GC.GetAllocatedBytesForCurrentThread();
        GC.KeepAlive(kept);
        var perSchema = (after - before) / (double)count;
        times.Sort();
        TestContext.Current.SendDiagnosticMessage($"schema of {set.All.Count()} collections ({db}): build median {times[count / 2]:F1} ms (min {times[0]:F1}), ~{perSchema / 1024:F0} KiB allocated per schema");
        Console.WriteLine($"GRAPHQL-SCHEMA {db}: collections={set.All.Count()} build_median_ms={times[count / 2]:F1} build_min_ms={times[0]:F1} kib_per_schema={perSchema / 1024:F0}");
        Assert.InRange(perSchema, 1, 64 << 20);
        Assert.True(times[0] < 500, $"schema build took {times[0]} ms");
        // The cached schema answers a query on the new collections.
        Assert.NotNull((await DataAsync(su, "{ extra49List { items { rel { rel { a } } } } }", ct: ct))["extra49List"]);
    }
}
