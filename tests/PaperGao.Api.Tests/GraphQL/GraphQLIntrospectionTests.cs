using System.Text.Json.Nodes;
using PaperGao.Api.Tests.Infrastructure;
using static PaperGao.Api.Tests.GraphQL.GraphQLClient;
using static PaperGao.Api.Tests.Records.RecordsTestData;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>
/// Introspection under the limits (security.md 21): the standard introspection query of GraphiQL and code generators
/// works for a superuser, but introspection is no way around the depth and complexity limits.
/// </summary>
public sealed class GraphQLIntrospectionTests(PostgresCluster postgres)
{
    /// <summary>What graphql-js 16's getIntrospectionQuery() asks: 15 levels deep (9 ofType), 3 nested schema lists.</summary>
    private static readonly string TypeRef = "kind name " + string.Concat(Enumerable.Repeat("ofType { kind name ", 9)) + new string('}', 9);
    private static readonly string InputValue = "name description type { " + TypeRef + " } defaultValue";
    private static readonly string FullType = "kind name description fields(includeDeprecated: true) { name description args { " + InputValue + " } type { " + TypeRef + " } isDeprecated deprecationReason } " +
        "inputFields { " + InputValue + " } interfaces { " + TypeRef + " } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { " + TypeRef + " }";
    private static readonly string Standard = "query IntrospectionQuery { __schema { queryType { name } mutationType { name } subscriptionType { name } types { " + FullType + " } " +
        "directives { name description locations args { " + InputValue + " } } } }";

    [Theory]
    [DatabaseMatrix]
    public async Task The_standard_introspection_query_works_for_a_superuser_and_does_not_lift_the_limits(DatabaseKind db)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await PaperGaoApp.StartAsync(db, postgres, ct);
        var su = await app.SuperuserClientAsync(ct);
        await CreateSchemaAsync(su, ct);

        var schema = (await DataAsync(su, Standard, ct: ct))["__schema"]!;
        Assert.Equal("Query", schema["queryType"]!["name"]!.GetValue<string>());
        var posts = schema["types"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "Posts")!;
        Assert.Contains(posts["fields"]!.AsArray(), f => f!["name"]!.GetValue<string>() == "title");
        // A second time it comes from the validated-document cache: same answer.
        Assert.Equal("Query", (await DataAsync(su, Standard, ct: ct))["__schema"]!["queryType"]!["name"]!.GetValue<string>());

        var ofTypes = "{ __type(name: \"Posts\") { fields { type { " + string.Concat(Enumerable.Repeat("ofType { ", 25)) + "name" + new string('}', 25) + " } } } }";
        var refused = new Dictionary<string, string>
        {
            // An ofType chain deeper than the introspection depth (20).
            [ofTypes] = "DEPTH",
            // Schema lists nested four times: grows with the schema's size to the power four.
            ["{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }"] = "DEPTH",
            ["{ __type(name: \"Posts\") { fields { type { fields { type { fields { type { fields { name } } } } } } } } }"] = "DEPTH",
            // The same through fragments (and a fragment spread inside itself is not followed twice).
            ["{ __schema { types { ...T } } } fragment T on __Type { fields { type { ...U } } } fragment U on __Type { fields { type { fields { name } } } }"] = "DEPTH",
            // Two copies of the full introspection are over the complexity limit (each is counted at 1/40).
            [TwoCopies()] = "COMPLEXITY",
            // Introspection next to data does not raise the data's depth limit (10; here 11).
            ["{ __typename __type(name: \"Posts\") { name } postsList(perPage: 1) { items { " + Nested(9) + " } } }"] = "DEPTH",
        };
        foreach (var (query, code) in refused)
        {
            var (status, body) = await PostAsync(su, query, ct: ct);
            Assert.True(status == 400, $"{query[..Math.Min(query.Length, 90)]}: {status} {body.ToJsonString()[..Math.Min(300, body.ToJsonString().Length)]}");
            Assert.Null(body["data"]);
            Assert.Equal(code, body["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
        }
        // Within the limits: data 10 levels deep (postsList, items and 8 more) next to introspection, a 3-list introspection.
        Assert.NotNull((await DataAsync(su, "{ __type(name: \"Posts\") { name } postsList(perPage: 1) { items { " + Nested(8) + " } } }", ct: ct))["postsList"]);
        Assert.NotNull((await DataAsync(su, "{ __schema { types { fields { type { fields { name } } } } } }", ct: ct))["__schema"]);

        // A guest: no introspection by default (the standard query is a validation error), the same bounds when allowed.
        var (guestStatus, guestBody) = await PostAsync(app.Client, Standard, ct: ct);
        Assert.Equal(400, guestStatus);
        Assert.Null(guestBody["data"]);
        await SendAsync(su, HttpMethod.Patch, "/api/settings", new { graphql = new { introspection = "all" } }, ct);
        Assert.NotNull((await DataAsync(app.Client, Standard, ct: ct))["__schema"]!["types"]);
        var (deepStatus, deepBody) = await PostAsync(app.Client, ofTypes, ct: ct);
        Assert.Equal(400, deepStatus);
        Assert.Equal("DEPTH", deepBody["errors"]![0]!["extensions"]!["code"]!.GetValue<string>());
    }

    /// <summary>The full introspection twice under two aliases.</summary>
    private static string TwoCopies()
    {
        var body = Standard["query IntrospectionQuery { ".Length..^1];
        return "{ a: " + body + " b: " + body + " }";
    }

    /// <summary>A selection <paramref name="levels"/> deep under a post (comments and their post, alternately).</summary>
    private static string Nested(int levels)
    {
        var open = string.Concat(Enumerable.Range(0, levels - 1).Select(i => i % 2 == 0 ? "comments_via_post { " : "post { "));
        return open + "id " + string.Concat(Enumerable.Repeat("} ", levels - 1));
    }
}
