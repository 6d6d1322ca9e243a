using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Data;
using Xunit;
using static PaperGao.Core.Tests.Fields.FieldTestUtil;

namespace PaperGao.Core.Tests.Fields;

public class RelationFieldTests
{
    [Fact]
    public void Single_and_multiple_values()
    {
        var single = new RelationField { CollectionId = "c", MaxSelect = 1 };
        Assert.Equal(ColumnKind.Text, single.Kind);
        Assert.Equal("id2", Norm(single, "[\"id1\",\"id2\"]"));
        var multi = new RelationField { CollectionId = "c", MaxSelect = 5 };
        Assert.Equal(ColumnKind.JsonArray, multi.Kind);
        Assert.Equal(["id1", "id2"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Norm(multi, "[\"id1\",\"id2\",\"id1\"]")));
        Assert.Equal("validation_invalid_value", NormFails(multi, "{\"id\":1}"));
    }

    [Fact]
    public void Counts()
    {
        var f = new RelationField { MinSelect = 2, MaxSelect = 3 };
        Assert.Null(f.Validate(Array.Empty<string>()));
        var few = f.Validate(new[] { "a" });
        Assert.Equal("validation_not_enough_values", Code(few));
        Assert.Equal(2, few!.Params!["minSelect"]);
        var many = f.Validate(new[] { "a", "b", "c", "d" });
        Assert.Equal("validation_too_many_values", Code(many));
        Assert.Equal(3, many!.Params!["maxSelect"]);
        Assert.Null(f.Validate(new[] { "a", "b" }));
        Assert.Equal("validation_required", Code(new RelationField { Required = true }.Validate("")));
        Assert.Null(new RelationField().Validate("x"));
    }

    [Fact]
    public void Modifiers()
    {
        var f = new RelationField { MaxSelect = 10 };
        IReadOnlyList<string> current = ["a", "b"];
        Assert.Equal(["a", "b", "c"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(f, FieldModifier.Append, current, "[\"b\",\"c\"]")));
        Assert.Equal(["c", "a", "b"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(f, FieldModifier.Prepend, current, "\"c\"")));
        Assert.Equal(["b"], Assert.IsAssignableFrom<IReadOnlyList<string>>(Modify(f, FieldModifier.Remove, current, "\"a\"")));
    }

    [Fact]
    public void Definition_requires_an_existing_collection()
    {
        var users = new Collection { Id = "_pb_users_auth_", Name = "users", Type = CollectionType.Auth };
        var view = new Collection { Id = "pbc_view", Name = "v", Type = CollectionType.View };
        var all = new CollectionSet([users, view], 1);
        var self = new Collection { Id = "pbc_self", Name = "self" };
        Assert.Empty(DefinitionErrors(new RelationField { CollectionId = "_pb_users_auth_" }, all, self).Items);
        Assert.Empty(DefinitionErrors(new RelationField { CollectionId = "pbc_view" }, all, self).Items);
        Assert.Empty(DefinitionErrors(new RelationField { CollectionId = "pbc_self" }, all, self).Items);
        Assert.Equal("validation_invalid_collection", OptionCode(DefinitionErrors(new RelationField { CollectionId = "missing" }, all, self), "collectionId"));
        Assert.Equal("validation_required", OptionCode(DefinitionErrors(new RelationField(), all, self), "collectionId"));
        Assert.True(DefinitionErrors(new RelationField { CollectionId = "pbc_self", MinSelect = 3, MaxSelect = 2 }, all, self).Contains("maxSelect"));
        Assert.True(DefinitionErrors(new RelationField { CollectionId = "pbc_self", MinSelect = -1 }, all, self).Contains("minSelect"));
    }

    [Fact]
    public void Options_round_trip()
    {
        var f = (RelationField)AssertRoundTrip("{" + CommonKeys("relation", "author") +
            ",\"cascadeDelete\":true,\"collectionId\":\"_pb_users_auth_\",\"maxSelect\":1,\"minSelect\":0,\"required\":true}");
        Assert.Equal("_pb_users_auth_", f.CollectionId);
        Assert.True(f.CascadeDelete);
        Assert.True(ReadErrors("{\"type\":\"relation\",\"collectionId\":5}").Contains("collectionId"));
    }
}
