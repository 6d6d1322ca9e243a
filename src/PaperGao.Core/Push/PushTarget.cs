namespace PaperGao.Core.Push;

/// <summary>Who a send goes to: the devices of some auth records, of a topic, or of the auth records a filter matches.</summary>
public abstract record PushTarget
{
    /// <summary>A short description for the delivery log (no user data beyond ids, topic and filter).</summary>
    public abstract string Describe();
}

/// <summary>The devices of these record ids (of one auth collection when <see cref="CollectionId"/> is set).</summary>
public sealed record PushToUsers(IReadOnlyList<string> UserIds, string? CollectionId) : PushTarget
{
    public override string Describe() => $"users:{UserIds.Count}";
}

public sealed record PushToTopic(string Topic) : PushTarget
{
    public override string Describe() => "topic:" + Topic;
}

/// <summary>The devices of the records of an auth collection that match a filter (the records API's filter language).</summary>
public sealed record PushToFilter(string CollectionId, string Filter) : PushTarget
{
    public override string Describe() => $"filter:{CollectionId}:{Filter}";
}
