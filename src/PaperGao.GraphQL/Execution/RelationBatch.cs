using GraphQL.DataLoader;
using PaperGao.Core.Records;

namespace PaperGao.GraphQL.Execution;

/// <summary>
/// Batches one relation (or back-relation) of one collection per level of the query: every parent record whose field is
/// asked for is queued, and the first result awaited loads them all with the expand code REST uses (the related
/// collection's view rule compiled into one query per 500 parents). GraphQL.NET awaits data-loader results only after
/// the whole level has been resolved, so a list of N records costs one query per relation, not N.
/// </summary>
public sealed class RelationBatch(GraphQLRequestContext context, string key)
{
    /// <summary>The batch key is "&lt;collection id&gt;:&lt;expand key&gt;".</summary>
    private readonly string _expandKey = key[(key.IndexOf(':', StringComparison.Ordinal) + 1)..];

    private readonly HashSet<Record> _pending = new(ReferenceEqualityComparer.Instance);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ExpandTree Tree => ExpandTree.Parse(_expandKey);

    public IDataLoaderResult<object?> Load(Record parent)
    {
        lock (_pending)
        {
            if (parent.Expand is null || !parent.Expand.ContainsKey(_expandKey)) _pending.Add(parent);
        }
        return new Pending(this, parent);
    }

    private async Task<object?> GetAsync(Record parent, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            List<Record> batch;
            lock (_pending)
            {
                batch = _pending.Contains(parent) ? [.. _pending] : [];
                if (batch.Count > 0) _pending.Clear();
            }
            if (batch.Count > 0)
            {
                await context.ReadAsync(async (conn, tx) =>
                {
                    await RecordExpander.ExpandAsync(context.Project, conn, tx, batch, Tree, context.Request, ct);
                    return true;
                }, ct);
                if (context.Project.Hooks.Enrich.HasHandlers) await GraphQLEnrich.ApplyAsync(context, Loaded(batch));
            }
        }
        finally
        {
            _gate.Release();
        }
        return parent.Expand?.GetValueOrDefault(_expandKey);
    }

    /// <summary>The related records this batch loaded (each once), for the enrich handlers.</summary>
    private List<Record> Loaded(List<Record> parents)
    {
        var seen = new HashSet<Record>(ReferenceEqualityComparer.Instance);
        var list = new List<Record>();
        foreach (var p in parents)
        {
            switch (p.Expand?.GetValueOrDefault(_expandKey))
            {
                case Record one:
                    if (seen.Add(one)) list.Add(one);
                    break;
                case IEnumerable<Record> many:
                    foreach (var r in many) if (seen.Add(r)) list.Add(r);
                    break;
            }
        }
        return list;
    }

    private sealed class Pending(RelationBatch batch, Record parent) : IDataLoaderResult<object?>
    {
        public Task<object?> GetResultAsync(CancellationToken cancellationToken = default) => batch.GetAsync(parent, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
