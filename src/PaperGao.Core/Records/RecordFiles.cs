using System.Globalization;
using System.Text.Json.Nodes;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Files;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Records;

/// <summary>
/// File fields in the write pipeline (protocol.md §2.4): puts the uploads into the record's values, checks each
/// upload (size, sniffed MIME type), writes them to storage only once the row and its rule passed (deleted again if
/// the transaction rolls back), and deletes replaced or removed files after the commit.
/// </summary>
public static class RecordFiles
{
    /// <summary>The uploads kept in the record, and the stored names the write drops.</summary>
    public sealed record Changes(IReadOnlyList<UploadedFile> New, IReadOnlyList<string> Removed)
    {
        public static Changes None { get; } = new([], []);

        public IReadOnlySet<string> NewNames => New.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>Applies the uploads after the body was applied; per-file errors go to the field.</summary>
    public static Changes Apply(Record record, JsonObject body, RecordUploads uploads, Record? original, bool isSuperuser, ErrorData errors)
    {
        var kept = new List<UploadedFile>();
        foreach (var key in uploads.Keys)
        {
            var (name, modifier) = RecordInputApplier.ParseKey(key);
            // A hidden field takes uploads from superusers only (like any other hidden field's value).
            if (record.Collection.FindField(name) is FileField f && (!f.Hidden || isSuperuser) && modifier is null or FieldModifier.Append or FieldModifier.Prepend) continue;
            errors.Add(key.Length > 100 ? key[..100] : key, new FieldError("validation_invalid_file", "Files can only be uploaded to a file field (as name, name+ or +name)."));
        }
        foreach (var f in record.Collection.Fields.OfType<FileField>())
        {
            var plain = uploads.For(f.Name);
            var append = uploads.For(f.Name + "+");
            var prepend = uploads.For("+" + f.Name);
            if (plain.Count + append.Count + prepend.Count == 0 || errors.Contains(f.Name) || (f.Hidden && !isSuperuser)) continue;
            if (Check(f, [.. prepend, .. plain, .. append]) is { } error)
            {
                errors.Add(f.Name, error);
                continue;
            }
            IEnumerable<string> values = record.GetStrings(f.Name);
            // A plain upload replaces the value, unless the same request also names files for the field (kept + added).
            if (plain.Count > 0) values = body.ContainsKey(f.Name) ? values.Concat(plain.Select(u => u.Name)) : plain.Select(u => u.Name);
            values = prepend.Select(u => u.Name).Concat(values).Concat(append.Select(u => u.Name));
            var list = values.Distinct(StringComparer.Ordinal).ToList();
            var shaped = ListValues.Shape(list, f.IsMultiple);
            record.Values[f.Name] = shaped;
            var final = record.GetStrings(f.Name);
            kept.AddRange(((IEnumerable<UploadedFile>)[.. prepend, .. plain, .. append]).Where(u => final.Contains(u.Name, StringComparer.Ordinal)));
        }
        return new Changes(kept, RemovedNames(record, original));
    }

    private static List<string> RemovedNames(Record record, Record? original)
    {
        if (original is null) return [];
        var removed = new List<string>();
        foreach (var f in record.Collection.Fields.OfType<FileField>())
        {
            var now = record.GetStrings(f.Name);
            removed.AddRange(original.GetStrings(f.Name).Where(n => !now.Contains(n, StringComparer.Ordinal)));
        }
        return removed;
    }

    private static FieldError? Check(FileField f, IReadOnlyList<UploadedFile> files)
    {
        foreach (var u in files)
        {
            if (u.Length == 0) return new FieldError("validation_invalid_file", $"\"{Display(u)}\" is empty.");
            if (u.Length > f.EffectiveMaxSize)
            {
                return new FieldError("validation_file_size_limit",
                    string.Create(CultureInfo.InvariantCulture, $"Failed to upload \"{Display(u)}\" - the maximum allowed file size is {f.EffectiveMaxSize} bytes."),
                    new Dictionary<string, object?> { ["file"] = Display(u), ["maxSize"] = f.EffectiveMaxSize });
            }
            if (!ContentSniffer.IsAllowed(u.ContentType, f.MimeTypes))
            {
                return new FieldError("validation_invalid_mime_type",
                    $"\"{Display(u)}\" mime type must be one of: {string.Join(", ", f.MimeTypes)}.",
                    new Dictionary<string, object?> { ["file"] = Display(u), ["types"] = string.Join(", ", f.MimeTypes) });
            }
        }
        return null;
    }

    /// <summary>The client's name in a message: without directories or control characters, shortened.</summary>
    private static string Display(UploadedFile u)
    {
        var s = new string([.. u.OriginalName.Where(c => !char.IsControl(c))]);
        var slash = s.LastIndexOfAny(['/', '\\']);
        if (slash >= 0) s = s[(slash + 1)..];
        return s.Length > 100 ? s[..100] + "..." : s;
    }

    /// <summary>
    /// Writes the kept uploads under the record's folder. Called inside the transaction once the row and its rule
    /// passed; a rollback deletes what was written. Uploads stored before the transaction (<paramref name="prepared"/>)
    /// are not written again (their clean-up is the prepared write's).
    /// </summary>
    public static async Task WriteAsync(Project p, Record record, Changes changes, WriteScope scope, CancellationToken ct, PreparedWrite? prepared = null)
    {
        if (changes.New.Count == 0) return;
        var storage = p.Storage;
        foreach (var u in changes.New)
        {
            if (prepared?.IsStored(record.Id, u.Name) == true) continue;
            var key = FileKeys.Original(record.Collection.Id, record.Id, u.Name);
            scope.OnRollback(() => storage.DeleteAsync(key, CancellationToken.None));
            await using var content = u.OpenRead();
            await storage.WriteAsync(key, content, u.ContentType, ct);
        }
    }

    /// <summary>After the commit: deletes the files (and their thumbnails) the record no longer has.</summary>
    public static void DeleteAfterCommit(Project p, Record record, Changes changes, WriteScope scope)
    {
        if (changes.Removed.Count == 0) return;
        var storage = p.Storage;
        var c = record.Collection;
        var id = record.Id;
        scope.AfterCommit(async () =>
        {
            foreach (var name in changes.Removed)
            {
                if (!FileKeys.IsValidSegment(name)) continue;
                await storage.DeleteAsync(FileKeys.Original(c.Id, id, name), CancellationToken.None);
                await storage.DeletePrefixAsync(FileKeys.ThumbsPrefix(c.Id, id, name), CancellationToken.None);
            }
        });
    }

    /// <summary>After the commit of a delete: removes everything stored for the record.</summary>
    public static void DeleteRecordAfterCommit(Project p, Collection c, string id, WriteScope scope)
    {
        if (!c.Fields.OfType<FileField>().Any() || !FileKeys.IsValidSegment(id) || !FileKeys.IsValidSegment(c.Id)) return;
        var storage = p.Storage;
        scope.AfterCommit(() => storage.DeletePrefixAsync(FileKeys.RecordPrefix(c.Id, id), CancellationToken.None));
    }
}
