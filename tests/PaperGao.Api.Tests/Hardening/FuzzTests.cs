using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;
using PaperGao.Api.Infrastructure;
using PaperGao.Api.Tests.Infrastructure;
using PaperGao.Core.Common;
using PaperGao.Core.Filter;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.Hardening;

/// <summary>
/// Property-based fuzzing (CsCheck) of the filter/sort/fields parsers and the JSON body reader: whatever the input,
/// they answer or refuse with their own error type, never anything else (which the API would turn into a 500); through
/// HTTP the list endpoint never answers 500. Iterations per property: PAPERGAO_FUZZ_ITER (default 3000, HTTP: PAPERGAO_FUZZ_HTTP_ITER, default a tenth);
/// bench/fuzz.sh runs the long version and prints the figures (FUZZ lines on stdout).
/// </summary>
public sealed class FuzzTests(PostgresCluster postgres)
{
    private static long Iterations => long.TryParse(Environment.GetEnvironmentVariable("PAPERGAO_FUZZ_ITER"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 3000;

    private static readonly string[] FilterTokens =
    [
        "title", "views", "author.name", "@request.auth.id", "@request.query.x", "@collection.posts.title", "tags:each", "title:lower",
        "title:length", "data.a.b", "id", "=", "!=", ">", ">=", "<", "<=", "~", "!~", "?=", "?!=", "?~", "&&", "||", "(", ")", "'x'", "\"y\"",
        "'", "\"", "1", "-1", "1e309", "0.5", "null", "true", "false", "@now", "@yesterday", "@second", "strftime('%Y', created)",
        "geoDistance(1,2,3,4)", " ", "\t", "\n", "//c\n", ",", ".", ":", "\\", "\u0000", "\ud800", "é", "%", "*",
    ];

    private static readonly string[] SortTokens = ["title", "-views", "+id", "@random", "@rowid", ",", " ", "-", "+", "author.name", "x:y", "(", "\u0000", "é"];

    private static readonly string[] FieldsTokens = ["title", "*", "items", "expand", ".", ",", ":", "excerpt", "(", ")", "1", "-1", "99999999999999999999", "true", " ", "x", "é", "\u0000"];

    /// <summary>Strings made of the grammar's own tokens (deep in the parser) mixed with arbitrary characters.</summary>
    private static Gen<string> Tokens(string[] tokens, int max) =>
        Gen.Frequency((4, Gen.OneOf(tokens).Array[0, max].Select(string.Concat)), (1, Gen.String[0, max * 3]));

    private static long HttpIterations => long.TryParse(Environment.GetEnvironmentVariable("PAPERGAO_FUZZ_HTTP_ITER"), CultureInfo.InvariantCulture, out var n) && n > 0 ? n : Math.Max(20, Iterations / 10);

    /// <summary>The figures, appended to PAPERGAO_FUZZ_REPORT when set (bench/fuzz.sh).</summary>
    private static void Report(string line)
    {
        TestContext.Current.SendDiagnosticMessage(line);
        if (Environment.GetEnvironmentVariable("PAPERGAO_FUZZ_REPORT") is { Length: > 0 } file) File.AppendAllText(file, line + Environment.NewLine);
    }

    private static void Run<T>(string name, Gen<T> gen, Action<T> property, long iter)
    {
        long runs = 0;
        gen.Sample(x => { Interlocked.Increment(ref runs); property(x); }, iter: iter, threads: 1);
        Report($"FUZZ {name}: {runs} inputs, 0 failures");
    }

    [Fact]
    public void The_filter_parser_refuses_with_its_own_error_only()
    {
        Run("filter", Tokens(FilterTokens, 40), s =>
        {
            try { FilterParser.ParseUncached(s); }
            catch (FilterException) { }
        }, Iterations);
    }

    [Fact]
    public void The_sort_parser_refuses_with_its_own_error_only()
    {
        Run("sort", Tokens(SortTokens, 30), s =>
        {
            try { SortParser.Parse(s); }
            catch (FilterException) { }
        }, Iterations);
    }

    [Fact]
    public void The_fields_picker_refuses_with_a_400_only()
    {
        var doc = JsonNode.Parse("""{"page":1,"perPage":2,"items":[{"id":"a","title":"<b>Hi</b> there","expand":{"x":{"title":"t"}}},{"id":"b","title":null}]}""");
        Run("fields", Tokens(FieldsTokens, 20), s =>
        {
            try { FieldsPicker.Apply(doc!.DeepClone(), s); }
            catch (ApiError e) when (e.Status == 400) { }
        }, Iterations);
    }

    [Fact]
    public void The_json_body_reader_refuses_with_a_400_only()
    {
        var seeds = new[]
        {
            """{"title":"x","views":1,"data":{"a":[1,2,{"b":null}]},"tags":["a","b"]}"""u8.ToArray(),
            """{"title":"\ud83d\ude00 \u00e9","n":-1.5e10}"""u8.ToArray(),
            "{}"u8.ToArray(),
        };
        // Valid documents with a few bytes overwritten, inserted or cut off, and plain random bytes.
        var mutated = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 1000], Gen.Byte, Gen.Int[0, 2], (i, pos, b, op) =>
        {
            var src = seeds[i];
            var p = pos % (src.Length + 1);
            return op switch
            {
                0 => [.. src[..p], b, .. src[p..]],
                1 => p < src.Length ? [.. src[..p], b, .. src[(p + 1)..]] : src,
                _ => src[..p],
            };
        });
        var gen = Gen.Frequency((3, mutated), (1, Gen.Byte.Array[0, 200]), (1, Gen.String[0, 80].Select(s => Encoding.UTF8.GetBytes("{\"k\":\"" + s + "\"}"))));
        Run("json", gen, bytes =>
        {
            try
            {
                var o = RequestBody.ParseObject(bytes);
                _ = o.ToJsonString(); // every string must be readable once accepted
            }
            catch (ApiError e) when (e.Status == 400) { }
        }, Iterations);
    }

    [Theory]
    [DatabaseMatrix]
    public async Task Through_http_list_queries_never_answer_500(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);
        Assert.Equal(200, (await SendAsync(app.Client, HttpMethod.Post, "/api/collections/posts/records", new { title = "<p>hello</p>", views = 3, tags = new[] { "a" }, data = new { a = 1 } }, ct)).Status);
        var gen = Gen.Select(Tokens(FilterTokens, 25), Tokens(SortTokens, 8), Tokens(FieldsTokens, 8));
        var iter = HttpIterations;
        long runs = 0;
        await gen.SampleAsync(async q =>
        {
            Interlocked.Increment(ref runs);
            var url = "/api/collections/posts/records?filter=" + Uri.EscapeDataString(q.Item1) + "&sort=" + Uri.EscapeDataString(q.Item2) + "&fields=" + Uri.EscapeDataString(q.Item3);
            using var r = await app.Client.GetAsync(url, ct);
            // 403: a guest's filter that names @collection (refused on purpose, in the error envelope).
            Assert.True((int)r.StatusCode is 200 or 400 or 403, $"{(int)r.StatusCode} for {url}: {await r.Content.ReadAsStringAsync(ct)}");
        }, iter: iter, threads: 1);
        Report($"FUZZ http-{db}: {runs} requests, 0 failures");
    }
}
