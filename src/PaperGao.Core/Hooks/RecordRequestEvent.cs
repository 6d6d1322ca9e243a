using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Core.Hooks;

/// <summary>
/// A records API request before it is served (create, update, delete, view, list, auth): handlers may inspect
/// or change <see cref="Record"/> and <see cref="Body"/>, throw to refuse, or answer themselves and not call next.
/// Transport is the HTTP context (opaque to Core).
/// </summary>
public sealed class RecordRequestEvent(Project project, Collection collection, RequestInfo request, object? transport) : IHookEvent
{
    public Project Project { get; } = project;
    public Collection Collection { get; } = collection;
    public RequestInfo Request { get; } = request;
    public object? Transport { get; } = transport;

    /// <summary>The record the request is about (null for lists): for create/update the stored state with the body applied.</summary>
    public Record? Record { get; set; }

    /// <summary>The submitted body (create, update, auth requests).</summary>
    public JsonObject? Body { get; set; }

    /// <summary>What the auth flow signs in (auth requests): null until the credentials were checked.</summary>
    public string? AuthMethod { get; init; }

    public bool MatchesTag(string tag) => tag == Collection.Id || tag == Collection.Name;
}
