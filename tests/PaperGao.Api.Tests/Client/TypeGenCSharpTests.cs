using System.Collections;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Client;
using static PaperGao.Api.Tests.Client.ClientTestKit;

namespace PaperGao.Api.Tests.Client;

/// <summary>GET /api/typegen?lang=cs: the C# compiles against PaperGao.Client, and the records work with the client against the server.</summary>
public sealed class TypeGenCSharpTests(PostgresCluster postgres)
{
    [Theory]
    [DatabaseMatrix]
    public async Task Generated_records_compile_and_round_trip_through_the_client(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        await CreateShopAsync(su, ct);
        await su.Collections.CreateAsync(new
        {
            name = "things", type = "base",
            fields = new object[]
            {
                new { name = "meta", type = "json" }, new { name = "where", type = "geoPoint" }, new { name = "count", type = "number", onlyInt = true },
                new { name = "thingsRecord", type = "text" }, new { name = "owner", type = "relation", collectionId = "_pb_users_auth_", maxSelect = 1 },
            },
        }, cancellationToken: ct);
        var source = await TypeGenAsync(su, "cs&namespace=Shop.Models", ct);
        Assert.Contains("namespace Shop.Models;", source);

        var assembly = Compile(source, out var errors);
        Assert.True(assembly is not null, string.Join("\n", errors) + "\n" + source);
        var posts = assembly.GetType("Shop.Models.PostsRecord")!;
        var create = assembly.GetType("Shop.Models.PostsCreate")!;
        Assert.Equal("live", assembly.GetType("Shop.Models.PostsStatusValues")!.GetField("Live")!.GetValue(null));
        var things = assembly.GetType("Shop.Models.ThingsRecord")!;
        Assert.Equal(typeof(long), things.GetProperty("Count")!.PropertyType);
        Assert.Equal(typeof(GeoPoint), things.GetProperty("Where")!.PropertyType);
        Assert.Equal(typeof(JsonElement?), things.GetProperty("Meta")!.PropertyType);
        Assert.NotNull(things.GetProperty("ThingsRecord2")); // a member never takes the type's own name
        Assert.Equal("UsersRecord", assembly.GetType("Shop.Models.ThingsExpand")!.GetProperty("Owner")!.PropertyType.Name);

        var tag = await su.Collection("tags").CreateAsync(new { name = "typed" }, cancellationToken: ct);
        var body = JsonSerializer.Deserialize($$$"""{"title":"typed post","status":"live","tags":["{{{Str(tag, "id")}}}"],"views":7}""", create)!;
        var service = typeof(PaperGaoClient).GetMethods().Single(m => m.Name == "Collection" && m.IsGenericMethod).MakeGenericMethod(posts).Invoke(su, ["posts"])!;
        var created = await Await(service.GetType().GetMethod("CreateAsync")!.Invoke(service, [body, null, new RecordOptions { Expand = "tags" }, ct])!);
        Assert.Equal("typed post", posts.GetProperty("Title")!.GetValue(created));
        Assert.Equal(7.0, posts.GetProperty("Views")!.GetValue(created));
        Assert.Equal("live", posts.GetProperty("Status")!.GetValue(created));
        var expand = posts.GetProperty("Expand")!.GetValue(created)!;
        var expandedTags = (IList)expand.GetType().GetProperty("Tags")!.GetValue(expand)!;
        Assert.Equal("typed", expandedTags[0]!.GetType().GetProperty("Name")!.GetValue(expandedTags[0]));

        // Leaving out a required field of a create body does not compile.
        Assert.Null(Compile(source + "\nstatic class Use { static object M() => new Shop.Models.PostsCreate { Status = \"live\" }; }", out var missing));
        Assert.Contains(missing, e => e.Contains("CS9035", StringComparison.Ordinal) && e.Contains("Title", StringComparison.Ordinal));
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Typegen_refuses_guests_other_users_and_bad_parameters(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        using var su = await SuperuserAsync(app, ct);
        using var guest = Guest(app);
        Assert.Equal(401, (await Assert.ThrowsAsync<ClientResponseException>(() => TypeGenAsync(guest, "ts", ct))).Status);
        await guest.Collection("users").CreateAsync(new { email = "u@example.test", password = "user-password-1", passwordConfirm = "user-password-1" }, cancellationToken: ct);
        await guest.Collection("users").AuthWithPasswordAsync("u@example.test", "user-password-1", cancellationToken: ct);
        Assert.Equal(403, (await Assert.ThrowsAsync<ClientResponseException>(() => TypeGenAsync(guest, "ts", ct))).Status);

        var lang = await Assert.ThrowsAsync<ClientResponseException>(() => TypeGenAsync(su, "java", ct));
        Assert.Equal(400, lang.Status);
        Assert.Equal("validation_invalid_value", lang.FieldCode("lang"));
        var ns = await Assert.ThrowsAsync<ClientResponseException>(() => TypeGenAsync(su, "cs&namespace=My..Models;x", ct));
        Assert.Equal("validation_invalid_value", ns.FieldCode("namespace"));
        Assert.Contains("export type TypedPocketBase", await TypeGenAsync(su, "ts", ct));
        Assert.Contains("TypedPocketBase", await TypeGenAsync(su, "", ct)); // ts is the default
    }

    private static async Task<string> TypeGenAsync(PaperGaoClient client, string lang, CancellationToken ct)
    {
        using var response = await client.SendRawAsync(HttpMethod.Get, "/api/typegen?lang=" + lang, null, null, ct);
        return await response.Content.ReadAsStringAsync(ct);
    }

    private static async Task<object> Await(object task)
    {
        await (Task)task;
        return task.GetType().GetProperty("Result")!.GetValue(task)!;
    }

    /// <summary>Compiles a library against the running framework and PaperGao.Client; null with the errors when it fails.</summary>
    private static Assembly? Compile(string source, out List<string> errors)
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(PaperGaoClient).Assembly.Location)
            .Select(p => MetadataReference.CreateFromFile(p));
        var compilation = CSharpCompilation.Create("Generated" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.CSharp12))], references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        errors = [.. result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString())];
        if (!result.Success) return null;
        pe.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(pe);
    }
}
