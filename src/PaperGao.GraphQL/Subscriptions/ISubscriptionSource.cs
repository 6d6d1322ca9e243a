using PaperGao.Core.Collections;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Subscriptions;

/// <summary>
/// Where a subscription field gets its events: the WebSocket transport backs it with the realtime broker (one realtime
/// client per connection, rule-checked per subscriber like SSE). Over HTTP there is none and subscriptions are refused.
/// </summary>
public interface ISubscriptionSource
{
    /// <summary>Record events of a collection that match the filter and the subscriber's list rule, as <see cref="SubscriptionEvent"/>s.</summary>
    IObservable<object?> Subscribe(Collection collection, string filter, GraphQLRequestContext context);
}

/// <summary>One event: "create", "update" or "delete" and the record as the subscriber may see it.</summary>
public sealed record SubscriptionEvent(string Action, PaperGao.Core.Records.Record Record);
