using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data.Sqlite;

namespace PaperGao.Core.Tests.Collections;

public class CollectionValidatorTests
{
    private static readonly IReadOnlySet<string> SystemTables = new HashSet<string> { "_collections", "_params" };

    private static T Named<T>(T f, string name) where T : Field
    {
        f.Name = name;
        f.Id = FieldIds.For(f.Type, name);
        return f;
    }

    private static Collection Base(string name, params Field[] fields) => new()
    {
        Id = CollectionScaffolds.CollectionId(CollectionType.Base, name),
        Name = name,
        Fields = [TextField.CreateIdField(), .. fields],
    };

    private static ErrorData Validate(Collection c, Collection? old = null, params Collection[] others) =>
        CollectionValidator.Validate(c, old, new CollectionSet([.. others, c], 1), SystemTables, SqliteDialect.Instance);

    private static string? Code(ErrorData e, params string[] path)
    {
        object? node = e;
        foreach (var key in path) node = (node as ErrorData)?[key];
        return (node as FieldError)?.Code;
    }

    [Fact]
    public void A_plain_collection_is_valid()
    {
        var c = Base("posts", Named(new TextField(), "title"), Named(new NumberField(), "views"));
        c.ListRule = "title != '' && views > 1";
        c.Indexes = ["CREATE UNIQUE INDEX `idx_t` ON `posts` (`title`)"];
        Assert.True(Validate(c).IsEmpty);
    }

    [Theory]
    [InlineData("bad name", "validation_invalid_name")]
    [InlineData("", "validation_required")]
    [InlineData("_hidden", "validation_invalid_name")]
    [InlineData("_collections", "validation_collection_name_exists")]
    [InlineData("ünï", "validation_invalid_name")]
    public void Collection_names(string name, string code)
    {
        Assert.Equal(code, Code(Validate(Base(name)), "name"));
    }

    [Fact]
    public void Names_are_unique_case_insensitively()
    {
        var other = Base("Posts");
        Assert.Equal("validation_collection_name_exists", Code(Validate(Base("posts"), null, other), "name"));
    }

    [Theory]
    [InlineData("expand", "validation_not_in_invalid")]
    [InlineData("collectionId", "validation_not_in_invalid")]
    [InlineData("a_via_b", "validation_invalid_name")]
    [InlineData("has space", "validation_invalid_name")]
    public void Field_names(string name, string code)
    {
        Assert.Equal(code, Code(Validate(Base("x", Named(new TextField(), name))), "fields", "1", "name"));
    }

    [Fact]
    public void Field_names_are_unique_case_insensitively()
    {
        var errors = Validate(Base("x", Named(new TextField(), "title"), Named(new NumberField(), "TITLE")));
        Assert.Equal("validation_not_unique", Code(errors, "fields", "2", "name"));
    }

    [Fact]
    public void Auth_collections_reserve_password_confirm()
    {
        var c = CollectionScaffolds.Create(CollectionType.Auth, "members");
        c.Id = "pbc_m";
        c.Indexes = [.. CollectionScaffolds.AuthIndexes(c)];
        Assert.True(Validate(c).IsEmpty);
        c.Fields.Add(Named(new TextField(), "passwordConfirm"));
        Assert.Equal("validation_reserved_field_name", Code(Validate(c), "fields", (c.Fields.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "name"));
    }

    [Fact]
    public void Identity_fields_need_a_unique_index()
    {
        var c = CollectionScaffolds.Create(CollectionType.Auth, "members");
        c.Id = "pbc_m";
        c.Indexes = [];
        Assert.Equal("validation_missing_unique_constraint", Code(Validate(c), "passwordAuth", "identityFields"));
    }

    [Fact]
    public void The_id_field_must_be_a_text_primary_key()
    {
        var c = Base("x");
        c.Fields[0] = Named(new NumberField(), "id");
        Assert.Equal("validation_invalid_primary_key", Code(Validate(c), "fields", "0", "type"));
    }

    [Fact]
    public void Rules_must_compile()
    {
        var c = Base("x", Named(new TextField(), "title"));
        c.ListRule = "title = ";
        c.ViewRule = "nope = 1";
        c.CreateRule = "";
        c.UpdateRule = "@request.auth.id != '' && title = @request.body.title";
        var errors = Validate(c);
        Assert.Equal("validation_invalid_rule", Code(errors, "listRule"));
        Assert.Equal("validation_invalid_rule", Code(errors, "viewRule"));
        Assert.Null(Code(errors, "createRule"));
        Assert.Null(Code(errors, "updateRule"));
    }

    [Fact]
    public void Indexes_must_parse_and_reference_fields()
    {
        var c = Base("x", Named(new TextField(), "title"));
        c.Indexes =
        [
            "CREATE INDEX `idx_ok` ON `x` (`title`)",
            "DROP TABLE x",
            "CREATE INDEX `idx_missing` ON `x` (`nope`)",
            "CREATE INDEX `idx_ok` ON `x` (`id`)",
        ];
        var errors = Validate(c);
        Assert.Null(Code(errors, "indexes", "0"));
        Assert.Equal("validation_invalid_index", Code(errors, "indexes", "1"));
        Assert.Equal("validation_invalid_index", Code(errors, "indexes", "2"));
        Assert.Equal("validation_duplicated_index_name", Code(errors, "indexes", "3"));
    }

    [Fact]
    public void Relations_must_point_to_existing_collections()
    {
        var target = Base("target");
        var ok = Base("x", Named(new RelationField { CollectionId = target.Id, MaxSelect = 1 }, "rel"));
        Assert.True(Validate(ok, null, target).IsEmpty);
        var bad = Base("y", Named(new RelationField { CollectionId = "missing", MaxSelect = 1 }, "rel"));
        Assert.NotNull(Code(Validate(bad, null, target), "fields", "1", "collectionId"));
    }

    [Fact]
    public void System_collections_keep_name_rules_and_system_fields()
    {
        var old = CollectionScaffolds.Create(CollectionType.Auth, "_superusers");
        old.Id = "pbc_s";
        old.System = true;
        old.Indexes = [.. CollectionScaffolds.AuthIndexes(old)];
        var renamed = old.Clone();
        renamed.Name = "admins";
        Assert.Equal("validation_system_collection_name_change", Code(Validate(renamed, old), "name"));
        var ruled = old.Clone();
        ruled.ListRule = "";
        Assert.Equal("validation_system_collection_rule_change", Code(Validate(ruled, old), "listRule"));
        var noEmail = old.Clone();
        noEmail.Fields.RemoveAll(f => f.Name == "email");
        noEmail.Indexes = [noEmail.Indexes[0]];
        noEmail.Auth!.IdentityFields = [];
        Assert.NotNull(Code(Validate(noEmail, old), "fields"));
    }
}
