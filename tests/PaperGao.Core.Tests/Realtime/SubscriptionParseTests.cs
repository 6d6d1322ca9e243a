using PaperGao.Core.Common;
using PaperGao.Core.Realtime;

namespace PaperGao.Core.Tests.Realtime;

/// <summary>Subscription strings as the SDKs build them (protocol.md §6.3) and the malformed ones refused.</summary>
public sealed class SubscriptionParseTests
{
    [Theory]
    [InlineData("posts/*", "posts", "*")]
    [InlineData("posts", "posts", "*")]
    [InlineData("pbc_123/abc123", "pbc_123", "abc123")]
    [InlineData("@oauth2", "@oauth2", "")]
    public void Topics_name_a_collection_and_a_record(string raw, string collection, string recordId)
    {
        var s = Subscription.Parse(raw, out var error);
        Assert.Null(error);
        Assert.Equal(collection, s!.Collection);
        Assert.Equal(recordId, s.RecordId);
        Assert.Equal(raw, s.Raw);
    }

    [Fact]
    public void Options_are_form_decoded_values_stringified_and_header_keys_snake_cased()
    {
        // JS: encodeURIComponent(JSON.stringify(...)); Dart: encodeQueryComponent (spaces as '+').
        var js = "posts/*?options=" + Uri.EscapeDataString("{\"query\":{\"filter\":\"a = 1\",\"perPage\":5,\"flag\":true},\"headers\":{\"X-My-Header\":\"v\"}}");
        var s = Subscription.Parse(js, out _)!;
        Assert.Equal("a = 1", s.Filter);
        Assert.Equal("5", s.Query["perPage"]);
        Assert.Equal("true", s.Query["flag"]);
        Assert.Equal("v", s.Headers["x_my_header"]);
        var dart = Subscription.Parse("posts/*?options=%7B%22query%22%3A%7B%22filter%22%3A%22a+%3D+1%22%7D%7D", out _)!;
        Assert.Equal("a = 1", dart.Filter);
        Assert.NotEmpty(s.OptionsKey);
        Assert.NotEqual(s.OptionsKey, dart.OptionsKey);
        Assert.Equal("", Subscription.Parse("posts/*?other=1", out _)!.OptionsKey);
    }

    [Theory]
    [InlineData("posts/*?options=%7Bx")]
    [InlineData("posts/*?options=%5B%5D")]
    [InlineData("posts/*?options=%7B%22query%22%3A1%7D")]
    [InlineData("posts/*\r\nevent: x")]
    [InlineData("/*")]
    [InlineData("posts/")]
    [InlineData("posts/a/b")]
    public void Malformed_subscriptions_are_refused(string raw)
    {
        Assert.Null(Subscription.Parse(raw, out var error));
        Assert.NotNull(error);
    }

    [Fact]
    public void Lists_over_the_limits_are_400_with_per_item_errors()
    {
        var tooMany = Assert.Throws<ApiError>(() => RealtimeBroker.Parse([.. Enumerable.Range(0, RealtimeLimits.MaxSubscriptions + 1).Select(i => "p/" + i)]));
        Assert.Equal(400, tooMany.Status);
        var tooLong = Assert.Throws<ApiError>(() => RealtimeBroker.Parse(["p/*", "p/" + new string('x', RealtimeLimits.MaxSubscriptionLength)]));
        Assert.True(tooLong.Details.Contains("subscriptions"));
        // Empty strings are ignored and duplicates kept once.
        Assert.Single(RealtimeBroker.Parse(["", "p/*", "p/*"]));
    }
}
