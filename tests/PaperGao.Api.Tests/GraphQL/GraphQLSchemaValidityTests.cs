using GraphQL.Types;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Projects;
using PaperGao.GraphQL.Execution;
using PaperGao.GraphQL.Schema;

namespace PaperGao.Api.Tests.GraphQL;

/// <summary>
/// The schema builder skips GraphQL.NET's validation passes (they were a fifth of a build) and shares its scalar types
/// between schemas. These tests run the full validation on generated schemas whose names collide on purpose, and build
/// many schemas at once, so a generator change that breaks a GraphQL rule, or a shared type that is not safe to share,
/// fails here. No server or database: the collections are made in memory.
/// </summary>
public sealed class GraphQLSchemaValidityTests
{
    [Fact]
    public void The_start_up_warm_up_builds_its_schemas_and_answers_its_query()
    {
        // Every field type, relations both ways, a superuser and a public schema, then "{ __typename }" through the
        // executor with the request limits' validation: throws on any failure.
        SchemaWarmup.Warm();
        SchemaWarmup.Run();
        SchemaWarmup.Run();
    }

    [Fact]
    public void Generated_schemas_with_colliding_names_pass_the_full_validation()
    {
        var set = new CollectionSet(Collections(), 1);
        foreach (var access in new[] { GraphQLAccess.For(true), GraphQLAccess.For(false) })
        {
            var schema = SchemaBuilder.Build(set, access);
            SchemaBuilder.ValidateFully(schema);
            Assert.NotNull(schema.Query.GetField("postsList"));
        }
        var su = SchemaBuilder.Build(set, GraphQLAccess.For(true));
        // Names mapped as docs/graphql.md says: reserved and taken type names get _2, a leading digit a "_".
        Assert.NotNull(su.AllTypes["JSON_2"]);
        Assert.NotNull(su.AllTypes["PostsListResult_2"]);
        Assert.NotNull(su.AllTypes["_1st"]);
        var posts = (IObjectGraphType)su.AllTypes["Posts"]!;
        Assert.NotNull(posts.GetField("comments_via_post"));
        Assert.NotNull(posts.GetField("comments_via_post_2"));
        Assert.NotNull(posts.GetField("geo"));
        Assert.NotNull(posts.GetField("files"));
        var input = (IInputObjectGraphType)su.AllTypes["PostsUpdateInput"]!;
        Assert.NotNull(input.GetField("views_add"));
        Assert.NotNull(input.GetField("tags_append"));
    }

    [Fact]
    public async Task Schemas_built_at_the_same_time_share_scalars_safely()
    {
        var collections = Collections();
        var builds = Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            var schema = SchemaBuilder.Build(new CollectionSet(collections, 100 + i), GraphQLAccess.For(i % 2 == 0));
            SchemaBuilder.ValidateFully(schema);
            return schema;
        }, TestContext.Current.CancellationToken)).ToArray();
        var schemas = await Task.WhenAll(builds);
        // Object types are each schema's own; the shared scalar wrappers stay in place in every schema.
        static IGraphType TitleType(ISchema s) => ((IObjectGraphType)s.AllTypes["Posts"]!).GetField("title")!.ResolvedType!;
        Assert.All(schemas, s => Assert.Same(TitleType(schemas[0]), TitleType(s)));
        Assert.Equal(schemas.Length, schemas.Select(s => (object)s.AllTypes["Posts"]!).Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    private static Field NewField(string type, string name, Action<Field>? set = null)
    {
        var f = FieldRegistry.Create(type)!;
        f.Name = name;
        f.Id = FieldIds.For(type, name);
        set?.Invoke(f);
        return f;
    }

    private static List<Collection> Collections()
    {
        var all = new List<Collection>();
        var superusers = CollectionScaffolds.Create(CollectionType.Auth, ProjectInitializer.SuperusersName);
        superusers.Id = ProjectInitializer.SuperusersId;
        superusers.System = true;
        all.Add(superusers);
        var users = CollectionScaffolds.Create(CollectionType.Auth, "users");
        users.Id = ProjectInitializer.UsersId;
        users.ListRule = users.ViewRule = "id = @request.auth.id";
        all.Add(users);
        all.AddRange(SystemCollections.Create());

        Collection Base(string name, params Field[] fields)
        {
            var c = CollectionScaffolds.Create(CollectionType.Base, name);
            c.Id = CollectionScaffolds.CollectionId(CollectionType.Base, name);
            c.ListRule = c.ViewRule = c.CreateRule = c.UpdateRule = c.DeleteRule = "";
            c.Fields.AddRange(fields);
            all.Add(c);
            return c;
        }
        var posts = Base("posts",
            NewField("text", "title"), NewField("number", "views"), NewField("bool", "published"), NewField("json", "meta"),
            NewField("date", "when"), NewField("autodate", "created"), NewField("email", "contact"), NewField("url", "site"),
            NewField("editor", "body"), NewField("geoPoint", "geo"),
            NewField("select", "tags", f => { ((SelectField)f).Values = ["a", "b"]; ((SelectField)f).MaxSelect = 2; }),
            NewField("file", "files", f => ((FileField)f).MaxSelect = 3),
            NewField("relation", "author", f => ((RelationField)f).CollectionId = ProjectInitializer.UsersId),
            // Collides with the back-relation of comments.post, which then becomes comments_via_post_2.
            NewField("text", "comments_via_post"));
        Base("comments", NewField("text", "message"), NewField("relation", "post", f => ((RelationField)f).CollectionId = posts.Id));
        Base("JSON", NewField("text", "a"));                 // the JSON scalar's name: type JSON_2
        Base("postsListResult", NewField("text", "a"));      // type PostsListResult, so the list page of posts gets _2
        Base("1st", NewField("text", "a"));                  // _1st
        Base("friends", NewField("relation", "many", f => { ((RelationField)f).CollectionId = posts.Id; ((RelationField)f).MaxSelect = 5; }));
        return all;
    }
}
