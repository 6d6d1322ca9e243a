using System.Text.Json.Nodes;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Records;

/// <summary>
/// The slow parts of one record write done before its transaction, so that they do not hold SQLite's single writer
/// (docs/scaling.md): bcrypt hashes of the submitted passwords, and the uploads streamed to storage under the record's
/// folder (the id of a new record is chosen up front). Inside the transaction the writer takes the hash when the
/// password is still the one hashed and skips the files already stored; whatever the write did not keep is deleted
/// again (<see cref="CleanUpAsync"/>): all of them when the write failed.
/// </summary>
public sealed class PreparedWrite
{
    private readonly Dictionary<string, (string Plain, string Hash)> _hashes = new(StringComparer.Ordinal);
    private readonly HashSet<string> _stored = new(StringComparer.Ordinal);

    private PreparedWrite(string? id) => Id = id;

    /// <summary>The record id the files were stored under (a new record takes it unless the body names one).</summary>
    public string? Id { get; }

    /// <summary>
    /// Something to do before the transaction (a password in the body, an upload) on a collection that may take the
    /// write (<paramref name="rule"/> is the create or update rule: null locks it to superusers, who are not kept waiting).
    /// </summary>
    public static bool IsWorthIt(Collection c, JsonObject body, RecordUploads uploads, string? rule, RequestInfo req) =>
        !c.IsView && (rule is not null || req.IsSuperuser)
        && (!uploads.IsEmpty || c.Fields.Any(f => f is PasswordField && body[f.Name] is JsonValue));

    /// <summary>
    /// Hashes each password of the body that would pass its field's checks and stores each upload that would pass its
    /// field's size and type checks. <paramref name="id"/> is the record's id (update) or null (create: the body's id
    /// when it names a valid one, otherwise a new one from the id field's pattern).
    /// </summary>
    public static async Task<PreparedWrite> PrepareAsync(Project p, Collection c, JsonObject body, RecordUploads uploads, string? id, bool isSuperuser, CancellationToken ct)
    {
        if (id is null)
        {
            id = body["id"] is JsonValue v && v.TryGetValue<string>(out var given) && given.Length > 0
                ? given
                : c.FindField("id")?.PrepareForSave(null, isNew: true, p.Now()) as string;
        }
        var prepared = new PreparedWrite(id);
        foreach (var f in c.Fields.OfType<PasswordField>())
        {
            if (body[f.Name] is not JsonValue pv || !pv.TryGetValue<string>(out var plain) || plain.Length == 0) continue;
            if (f.Validate(new PasswordInput(plain)) is not null) continue;
            prepared._hashes[f.Name] = (plain, await PasswordHasher.HashAsync(plain, f.EffectiveCost, ct));
        }
        if (uploads.IsEmpty || id is null || !FileKeys.IsValidSegment(id) || !FileKeys.IsValidSegment(c.Id)) return prepared;
        try
        {
            foreach (var key in uploads.Keys)
            {
                if (c.FindField(RecordInputApplier.ParseKey(key).Name) is not FileField f || (f.Hidden && !isSuperuser)) continue;
                foreach (var u in uploads.For(key))
                {
                    if (u.Length == 0 || u.Length > f.EffectiveMaxSize || !ContentSniffer.IsAllowed(u.ContentType, f.MimeTypes) || !prepared._stored.Add(u.Name)) continue;
                    await using var content = u.OpenRead();
                    await p.Storage.WriteAsync(FileKeys.Original(c.Id, id, u.Name), content, u.ContentType, ct);
                }
            }
        }
        catch
        {
            await prepared.CleanUpAsync(p, c, null);
            throw;
        }
        return prepared;
    }

    /// <summary>The hash made beforehand for this field when the value to save is still the password hashed.</summary>
    public string? HashFor(string field, string plain) =>
        _hashes.TryGetValue(field, out var h) && string.Equals(h.Plain, plain, StringComparison.Ordinal) ? h.Hash : null;

    /// <summary>True when the upload is already in storage under this record's folder.</summary>
    public bool IsStored(string recordId, string name) => recordId == Id && _stored.Contains(name);

    /// <summary>
    /// After the transaction: deletes the stored files the saved record does not have (<paramref name="saved"/> null:
    /// the write failed, every stored file goes).
    /// </summary>
    public async Task CleanUpAsync(Project p, Collection c, Record? saved)
    {
        if (_stored.Count == 0 || Id is null) return;
        var kept = saved is not null && saved.Id == Id
            ? c.Fields.OfType<FileField>().SelectMany(f => saved.GetStrings(f.Name)).ToHashSet(StringComparer.Ordinal)
            : [];
        foreach (var name in _stored)
        {
            if (!kept.Contains(name)) await p.Storage.DeleteAsync(FileKeys.Original(c.Id, Id, name), CancellationToken.None);
        }
    }
}
