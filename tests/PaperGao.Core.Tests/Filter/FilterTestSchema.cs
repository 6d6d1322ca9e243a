using System.Data.Common;
using System.Text;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Filter;
using PaperGao.Core.Records;

namespace PaperGao.Core.Tests.Filter;

/// <summary>Small collections (users, posts, comments) and rows shared by the filter compiler tests.</summary>
internal static class FilterTestSchema
{
    public static Collection Users { get; } = new()
    {
        Id = "_pb_users_auth_",
        Name = "users",
        Type = CollectionType.Auth,
        ListRule = "id = @request.auth.id",
        Fields =
        [
            new TextField { Name = "id" },
            new EmailField { Name = "email" },
            new BoolField { Name = "emailVisibility" },
            new BoolField { Name = "verified" },
            new TextField { Name = "name" },
            new TextField { Name = "secret", Hidden = true },
            new RelationField { Name = "friends", CollectionId = "_pb_users_auth_", MaxSelect = 5 },
        ],
    };

    public static Collection Posts { get; } = new()
    {
        Id = "pbc_posts",
        Name = "posts",
        ListRule = "",
        Fields =
        [
            new TextField { Name = "id" },
            new TextField { Name = "title" },
            new NumberField { Name = "views" },
            new BoolField { Name = "active" },
            new SelectField { Name = "tags", Values = ["a", "b", "c"], MaxSelect = 5 },
            new RelationField { Name = "author", CollectionId = "_pb_users_auth_", MaxSelect = 1 },
            new RelationField { Name = "editors", CollectionId = "_pb_users_auth_", MaxSelect = 10 },
            new JsonField { Name = "data" },
            new GeoPointField { Name = "loc" },
            new TextField { Name = "created" },
            new TextField { Name = "internal", Hidden = true },
        ],
    };

    public static Collection Comments { get; } = new()
    {
        Id = "pbc_comments",
        Name = "comments",
        ListRule = "",
        Fields =
        [
            new TextField { Name = "id" },
            new RelationField { Name = "post", CollectionId = "pbc_posts", MaxSelect = 1 },
            new TextField { Name = "message" },
            new RelationField { Name = "author", CollectionId = "_pb_users_auth_", MaxSelect = 1 },
        ],
    };

    public static CollectionSet Set { get; } = new([Users, Posts, Comments], 1);

    private static string[] L(params string[] s) => s;

    public static readonly (Collection C, Dictionary<string, object?> Row)[] Rows =
    [
        (Users, new() { ["id"] = "u1", ["email"] = "a@x.com", ["emailVisibility"] = true, ["verified"] = true, ["name"] = "Alice", ["secret"] = "s1", ["friends"] = L("u2") }),
        (Users, new() { ["id"] = "u2", ["email"] = "b@x.com", ["emailVisibility"] = false, ["verified"] = false, ["name"] = "Bob", ["secret"] = "s2", ["friends"] = L() }),
        (Users, new() { ["id"] = "u3", ["email"] = "", ["emailVisibility"] = false, ["verified"] = false, ["name"] = "", ["secret"] = "", ["friends"] = L() }),
        (Posts, new() { ["id"] = "p1", ["title"] = "Hello World", ["views"] = 10d, ["active"] = true, ["tags"] = L("a", "b"), ["author"] = "u1", ["editors"] = L("u1", "u2"),
            ["data"] = JsonNode.Parse("""{"a":{"b":1},"items":[{"x":"y"}],"n":5,"s":"5","flag":true}"""), ["loc"] = new GeoPoint(23.32, 42.69), ["created"] = "2024-01-15 10:00:00.000Z", ["internal"] = "x" }),
        (Posts, new() { ["id"] = "p2", ["title"] = "100% sure_thing", ["views"] = 5d, ["active"] = false, ["tags"] = L("a"), ["author"] = "u2", ["editors"] = L("u2"),
            ["data"] = JsonNode.Parse("""{"a":{"b":2},"flag":false}"""), ["loc"] = new GeoPoint(23.5, 42.5), ["created"] = "2025-06-01 00:00:00.000Z", ["internal"] = "" }),
        (Posts, new() { ["id"] = "p3", ["title"] = "", ["views"] = 0d, ["active"] = false, ["tags"] = L(), ["author"] = "", ["editors"] = L(),
            ["data"] = null, ["loc"] = GeoPoint.Zero, ["created"] = "", ["internal"] = "" }),
        (Posts, new() { ["id"] = "p4", ["title"] = "back\\slash", ["views"] = 20d, ["active"] = true, ["tags"] = L("c"), ["author"] = "u1", ["editors"] = L("u1"),
            ["data"] = JsonNode.Parse("5"), ["loc"] = GeoPoint.Zero, ["created"] = "2023-12-31 23:59:59.999Z", ["internal"] = "" }),
        (Comments, new() { ["id"] = "c1", ["post"] = "p1", ["message"] = "great", ["author"] = "u2" }),
        (Comments, new() { ["id"] = "c2", ["post"] = "p1", ["message"] = "meh", ["author"] = "u1" }),
        (Comments, new() { ["id"] = "c3", ["post"] = "p2", ["message"] = "great", ["author"] = "u1" }),
    ];

    public static PaperGao.Core.Records.Record UserRecord(string id)
    {
        var r = new PaperGao.Core.Records.Record(Users);
        foreach (var (c, row) in Rows)
        {
            if (c != Users || (string)row["id"]! != id) continue;
            foreach (var (k, v) in row) r.Values[k] = v;
        }
        return r;
    }

    public static async Task CreateAsync(DbConnection conn, ISqlDialect d)
    {
        foreach (var c in new[] { Users, Posts, Comments })
        {
            var cols = string.Join(", ", c.Fields.Select(f => d.Quote(f.Name) + " " + d.ColumnDefinition(f.Kind) + (f.Name == "id" ? " PRIMARY KEY" : "")));
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"CREATE TABLE {d.Quote(c.Name)} ({cols})";
            await cmd.ExecuteNonQueryAsync();
        }
        foreach (var (c, row) in Rows)
        {
            var p = new SqlParams();
            var names = new StringBuilder();
            var values = new StringBuilder();
            foreach (var f in c.Fields)
            {
                if (names.Length > 0) { names.Append(", "); values.Append(", "); }
                names.Append(d.Quote(f.Name));
                values.Append(d.ParameterSql(f.Kind, p.Add(d.ToDbValue(f.Kind, row.GetValueOrDefault(f.Name)))));
            }
            await using var cmd = conn.CreateCommand();
            cmd.CommandText = $"INSERT INTO {d.Quote(c.Name)} ({names}) VALUES ({values})";
            p.BindTo(cmd, d);
            await cmd.ExecuteNonQueryAsync();
        }
    }

    public static RecordQueryContext Context(ISqlDialect d, Collection c, RequestInfo? request = null, bool client = false) => new()
    {
        Collection = c,
        Collections = Set,
        Dialect = d,
        Params = new SqlParams(),
        Request = request ?? RequestInfo.Guest,
        AllowRequestAndCollection = !client,
        AllowHiddenFields = !client,
    };
}
