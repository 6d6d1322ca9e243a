using PaperGao.Core.Records;
using PaperGao.GraphQL.Execution;

namespace PaperGao.GraphQL.Subscriptions;

/// <summary>
/// The manageRule exception for subscription events, as for a single record on REST (protocol.md §3.10) and as
/// PocketBase's realtime does: a user whom the auth collection's manageRule allows on the changed record also sees its
/// email. The realtime payload was cut for the user without that exception, so the email is read again.
/// </summary>
public static class ManagedEmail
{
    public static async Task ApplyAsync(GraphQLRequestContext rc, Record record, CancellationToken ct)
    {
        var c = record.Collection;
        var manageRule = c.Auth?.ManageRule;
        var req = rc.Request;
        if (req.IsSuperuser || req.Auth is not { } auth || string.IsNullOrWhiteSpace(manageRule) || auth.Id == record.Id || record.Id.Length == 0) return;
        var project = rc.Project;
        var current = await project.Database.ReadAsync(async conn =>
            await RecordWriter.MatchesRuleAsync(project, conn, null, c, manageRule, record.Id, req, ct)
                ? await RecordSql.FindByIdAsync(project.Database, conn, null, c, record.Id, ct)
                : null, ct);
        if (current is null) return;
        foreach (var f in c.Fields)
        {
            if (RecordVisibility.IsEmail(c, f)) record.Values[f.Name] = current.Get(f.Name);
        }
        record.EmailShown = true; // this record is the subscriber's own copy of the event
    }
}
