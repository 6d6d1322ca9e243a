using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Postgres;
using PaperGao.Core.Data.Schema;
using PaperGao.Core.Data.Sqlite;

namespace PaperGao.Core.Tests.Collections;

public class SchemaPlannerTests
{
    private static T Named<T>(T f, string name, string? id = null) where T : Field
    {
        f.Name = name;
        f.Id = id ?? FieldIds.For(f.Type, name);
        return f;
    }

    private static Collection Posts() => new()
    {
        Id = "pbc_1",
        Name = "posts",
        Fields =
        [
            TextField.CreateIdField(),
            Named(new TextField(), "title"),
            Named(new NumberField(), "views"),
            Named(new SelectField { Values = ["a", "b", "c"], MaxSelect = 1 }, "kind"),
            Named(new SelectField { Values = ["a", "b", "c"], MaxSelect = 3 }, "tags"),
        ],
        Indexes = ["CREATE INDEX `idx_title` ON `posts` (`title`)", "CREATE INDEX `idx_views` ON `posts` (`views`)"],
    };

    [Fact]
    public void Unchanged_collection_needs_no_ddl()
    {
        var old = Posts();
        var plan = SchemaPlanner.PlanUpdate(old, old.Clone(), SqliteDialect.Instance);
        Assert.Empty(plan.Statements);
        Assert.Empty(plan.Checks);
        Assert.False(plan.AltersExistingTable);
    }

    [Fact]
    public void Rename_add_remove_in_order_and_indexes_on_touched_columns_are_recreated()
    {
        var old = Posts();
        var now = old.Clone();
        now.Name = "articles";
        now.FindField("title")!.Name = "headline";
        now.Fields.Remove(now.FindField("views")!);
        now.Fields.Add(Named(new BoolField(), "draft"));
        now.Indexes = ["CREATE INDEX `idx_title` ON `articles` (`headline`)"];

        var plan = SchemaPlanner.PlanUpdate(old, now, SqliteDialect.Instance);

        Assert.Equal(
        [
            "ALTER TABLE \"posts\" RENAME TO \"articles\"",
            "DROP INDEX IF EXISTS \"idx_title\"",
            "DROP INDEX IF EXISTS \"idx_views\"",
            "ALTER TABLE \"articles\" DROP COLUMN \"views\"",
            "ALTER TABLE \"articles\" RENAME COLUMN \"title\" TO \"headline\"",
            "ALTER TABLE \"articles\" ADD COLUMN \"draft\" BOOLEAN NOT NULL DEFAULT FALSE",
            "CREATE INDEX \"idx_title\" ON \"articles\" (\"headline\")",
        ], plan.Statements);
        Assert.Empty(plan.Checks);
        Assert.True(plan.AltersExistingTable);
    }

    [Fact]
    public void Untouched_indexes_survive_a_table_rename()
    {
        var old = Posts();
        var now = old.Clone();
        now.Name = "articles";
        now.Indexes = ["CREATE INDEX `idx_title` ON `articles` (`title`)", "CREATE INDEX `idx_views` ON `articles` (`views`)"];
        var plan = SchemaPlanner.PlanUpdate(old, now, PostgresDialect.Instance);
        Assert.Equal(["ALTER TABLE \"posts\" RENAME TO \"articles\""], plan.Statements);
    }

    [Fact]
    public void Swapped_names_go_through_temporary_names()
    {
        var old = Posts();
        var now = old.Clone();
        now.FindField("title")!.Name = "x_tmp";
        now.FindField("views")!.Name = "title";
        now.FindField("x_tmp")!.Name = "views";
        now.Indexes = [];
        var plan = SchemaPlanner.PlanUpdate(old, now, SqliteDialect.Instance);
        var renames = plan.Statements.Where(s => s.Contains("RENAME COLUMN", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, renames.Count);
        Assert.All(renames.Take(2), s => Assert.Contains("\"_pg_tmp_", s, StringComparison.Ordinal));
    }

    [Fact]
    public void Select_single_to_multi_rebuilds_on_sqlite_and_alters_type_on_postgres()
    {
        var old = Posts();
        var now = old.Clone();
        ((SelectField)now.FindField("kind")!).MaxSelect = 2;

        var sqlite = SchemaPlanner.PlanUpdate(old, now, SqliteDialect.Instance);
        Assert.Empty(sqlite.Checks);
        Assert.Contains(sqlite.Statements, s => s.StartsWith("CREATE TABLE \"_pg_rebuild_posts\"", StringComparison.Ordinal) && s.Contains("\"kind\" JSON NOT NULL DEFAULT '[]'", StringComparison.Ordinal));
        Assert.Contains(sqlite.Statements, s => s.StartsWith("INSERT INTO \"_pg_rebuild_posts\"", StringComparison.Ordinal) && s.Contains("json_array(\"kind\")", StringComparison.Ordinal));
        Assert.Contains("ALTER TABLE \"_pg_rebuild_posts\" RENAME TO \"posts\"", sqlite.Statements);
        // Every index is recreated after a rebuild.
        Assert.Contains("CREATE INDEX \"idx_title\" ON \"posts\" (\"title\")", sqlite.Statements);
        Assert.Contains("CREATE INDEX \"idx_views\" ON \"posts\" (\"views\")", sqlite.Statements);

        var pg = SchemaPlanner.PlanUpdate(old, now, PostgresDialect.Instance);
        Assert.Contains(pg.Statements, s => s.Contains("ALTER COLUMN \"kind\" TYPE JSONB USING", StringComparison.Ordinal) && s.Contains("jsonb_build_array(\"kind\")", StringComparison.Ordinal));
    }

    [Fact]
    public void Text_to_number_is_checked_for_non_numeric_values()
    {
        var old = Posts();
        var now = old.Clone();
        var title = now.FindField("title")!;
        now.Fields[now.Fields.IndexOf(title)] = Named(new NumberField(), "title", title.Id);
        var plan = SchemaPlanner.PlanUpdate(old, now, SqliteDialect.Instance);
        var check = Assert.Single(plan.Checks);
        Assert.Equal(DataCheckKind.NumericText, check.Kind);
        Assert.Equal("title", check.FieldName);
        Assert.Equal(1, check.FieldIndex);
        Assert.Equal("SELECT \"title\" FROM \"posts\" WHERE \"title\" <> ''", check.Sql);
    }

    [Fact]
    public void Lowering_max_select_counts_rows_holding_more_values()
    {
        var old = Posts();
        var now = old.Clone();
        ((SelectField)now.FindField("tags")!).MaxSelect = 2;
        var plan = SchemaPlanner.PlanUpdate(old, now, PostgresDialect.Instance);
        var check = Assert.Single(plan.Checks);
        Assert.Equal(DataCheckKind.Count, check.Kind);
        Assert.Equal("maxSelect", check.OptionKey);
        Assert.StartsWith("SELECT COUNT(*) FROM \"posts\" WHERE ", check.Sql, StringComparison.Ordinal);
        Assert.EndsWith("> 2", check.Sql, StringComparison.Ordinal);
        Assert.Empty(plan.Statements); // same storage kind: no DDL
    }

    [Fact]
    public void Unsupported_conversion_is_allowed_only_while_no_row_holds_a_value()
    {
        var old = Posts();
        var now = old.Clone();
        var views = now.FindField("views")!;
        now.Fields[now.Fields.IndexOf(views)] = Named(new GeoPointField(), "views", views.Id);
        var plan = SchemaPlanner.PlanUpdate(old, now, SqliteDialect.Instance);
        var check = Assert.Single(plan.Checks);
        Assert.Equal("SELECT COUNT(*) FROM \"posts\" WHERE \"views\" IS NOT NULL AND \"views\" <> 0", check.Sql);
        Assert.Contains(plan.Statements, s => s.StartsWith("INSERT INTO \"_pg_rebuild_posts\"", StringComparison.Ordinal) && s.Contains("'{\"lon\":0,\"lat\":0}'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(ColumnKind.Text, ColumnKind.JsonArray)]
    [InlineData(ColumnKind.JsonArray, ColumnKind.Text)]
    [InlineData(ColumnKind.Text, ColumnKind.Number)]
    [InlineData(ColumnKind.Number, ColumnKind.Text)]
    [InlineData(ColumnKind.Bool, ColumnKind.Number)]
    [InlineData(ColumnKind.Number, ColumnKind.Bool)]
    [InlineData(ColumnKind.Text, ColumnKind.Json)]
    [InlineData(ColumnKind.Json, ColumnKind.Text)]
    public void Both_dialects_convert_the_same_pairs(ColumnKind from, ColumnKind to)
    {
        Assert.NotEmpty(SqliteDialect.Instance.ConvertValueSql("\"c\"", from, to));
        Assert.NotEmpty(PostgresDialect.Instance.ConvertValueSql("\"c\"", from, to));
    }

    [Fact]
    public void Create_plan_is_the_table_and_its_indexes()
    {
        var plan = SchemaPlanner.PlanCreate(Posts(), PostgresDialect.Instance);
        Assert.StartsWith("CREATE TABLE \"posts\" (\"id\" TEXT PRIMARY KEY NOT NULL, \"title\" TEXT NOT NULL DEFAULT ''", plan.Statements[0], StringComparison.Ordinal);
        Assert.Equal(3, plan.Statements.Count);
    }
}
