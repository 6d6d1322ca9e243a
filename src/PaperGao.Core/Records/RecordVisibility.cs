using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;

namespace PaperGao.Core.Records;

/// <summary>
/// Which fields of a record a requester may read, in one place for every writer (REST JSON, GraphQL, realtime):
/// never password or tokenKey; hidden fields only for superusers; an auth record's email only when emailVisibility is
/// on, or the requester is that record, a superuser, or may manage it (<see cref="RecordJsonWriter.Viewer.ShowAllEmails"/>).
/// </summary>
public static class RecordVisibility
{
    /// <summary>True when the field can ever be returned to this kind of requester (the email is further checked per record).</summary>
    public static bool IsReadable(Collection c, Field f, bool superuser)
    {
        if (f is PasswordField || (c.IsAuth && f.Name == "tokenKey")) return false;
        return superuser || !f.Hidden;
    }

    /// <summary>The readable fields in collection order.</summary>
    public static IEnumerable<Field> ReadableFields(Collection c, bool superuser) => c.Fields.Where(f => IsReadable(c, f, superuser));

    /// <summary>True for the email field of an auth collection (its visibility depends on the record and the viewer).</summary>
    public static bool IsEmail(Collection c, Field f) => c.IsAuth && f.Name == "email";

    /// <summary>Whether the viewer sees this record's email (only meaningful for auth records).</summary>
    public static bool ShowsEmail(RecordJsonWriter.Viewer viewer, bool emailVisibility, string recordId) =>
        viewer.IsSuperuser || viewer.ShowAllEmails || emailVisibility || (viewer.AuthId is not null && viewer.AuthId == recordId);

    public static bool ShowsEmail(RecordJsonWriter.Viewer viewer, Record r) => r.EmailShown || ShowsEmail(viewer, r.GetBool("emailVisibility"), r.Id);
}
