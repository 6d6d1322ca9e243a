using PaperGao.Core.Records;

namespace PaperGao.GraphQL.Execution;

/// <summary>
/// onRecordEnrich for GraphQL results (docs/graphql.md, "Functions"): the records a query, a relation, a mutation or a
/// subscription event produces go through the project's enrich handlers as REST's answers do, with the caller's
/// request. Changed values show. GraphQL types are fixed, so a hidden field cannot go missing: it resolves to the
/// field's empty value, as if the record had none ("", 0, false, [], null), and a hidden relation to null or [].
/// Costs nothing when no handler is bound.
/// </summary>
internal static class GraphQLEnrich
{
    public static async Task ApplyAsync(GraphQLRequestContext rc, IReadOnlyList<Record> records)
    {
        if (records.Count == 0 || !rc.Project.Hooks.Enrich.HasHandlers) return;
        await RecordEnricher.EnrichAsync(rc.Project, records, rc.Request, rc.Scope);
        foreach (var r in records)
        {
            if (r.Enrichment is not { Hidden.Count: > 0 } x) continue;
            foreach (var name in x.Hidden)
            {
                if (name != "id") r.Values.Remove(name);
            }
        }
    }
}
