using System.Data.Common;
using GraphQL.Types;
using GraphQLParser.AST;
using PaperGao.Core.Auth;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.GraphQL.Execution;

/// <summary>
/// The per-request state the resolvers share (GraphQL.NET's user context): the project, the caller as the rules see
/// them, the relation batches of this request, and for mutations the one write transaction every field runs in.
/// </summary>
public sealed class GraphQLRequestContext : Dictionary<string, object?>
{
    private readonly SemaphoreSlim _connectionGate = new(1, 1);
    private readonly Dictionary<string, RelationBatch> _batches = new(StringComparer.Ordinal);
    private readonly Dictionary<(GraphQLSelectionSet, IObjectGraphType), (GraphQLField, FieldType)[]> _collectedFields = [];
    private string? _fileToken;

    public GraphQLRequestContext(Project project, RequestInfo request, string pathBase)
    {
        Project = project;
        Request = request;
        PathBase = pathBase;
        Viewer = RecordJsonWriter.Viewer.From(request);
    }

    public Project Project { get; }
    public RequestInfo Request { get; }
    public RecordJsonWriter.Viewer Viewer { get; }

    /// <summary>"" or "/p/&lt;project&gt;": prefix of the file URLs.</summary>
    public string PathBase { get; }

    /// <summary>Set for a mutation operation: every read and write of the request goes through its transaction.</summary>
    public WriteScope? Scope { get; set; }

    /// <summary>The event source of subscriptions (the WebSocket transport); null over HTTP.</summary>
    public Subscriptions.ISubscriptionSource? Subscriptions { get; init; }

    /// <summary>Set when a mutation field failed: the rest are not run, and the transaction rolls back.</summary>
    public bool MutationFailed { get; set; }

    /// <summary>A file token for protected files, made once per request for an authenticated caller.</summary>
    public string? FileToken => Request.Auth is null ? null : _fileToken ??= AuthTokens.NewFileToken(Request.Auth, Project.Time.GetUtcNow());

    public RelationBatch Batch(string key)
    {
        lock (_batches)
        {
            if (!_batches.TryGetValue(key, out var b)) _batches[key] = b = new RelationBatch(this, key);
            return b;
        }
    }

    /// <summary>The fields of a selection set on one object type, collected once per request (variables are fixed within it).</summary>
    internal bool TryGetCollectedFields(GraphQLSelectionSet selection, IObjectGraphType type, out (GraphQLField Field, FieldType Definition)[] fields)
    {
        lock (_collectedFields) return _collectedFields.TryGetValue((selection, type), out fields!);
    }

    internal void KeepCollectedFields(GraphQLSelectionSet selection, IObjectGraphType type, (GraphQLField Field, FieldType Definition)[] fields)
    {
        lock (_collectedFields) _collectedFields[(selection, type)] = fields;
    }

    /// <summary>Runs a read on the mutation's transaction (one at a time) or on a pooled read connection.</summary>
    public async Task<T> ReadAsync<T>(Func<DbConnection, DbTransaction?, Task<T>> work, CancellationToken ct)
    {
        if (Scope is { } scope)
        {
            await _connectionGate.WaitAsync(ct);
            try { return await work(scope.Connection, scope.Transaction); }
            finally { _connectionGate.Release(); }
        }
        return await Project.Database.ReadAsync(conn => work(conn, null), ct);
    }
}
