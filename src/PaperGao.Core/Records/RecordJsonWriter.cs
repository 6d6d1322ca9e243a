using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text.Json;
using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;

namespace PaperGao.Core.Records;

/// <summary>
/// Writes record JSON as protocol.md §2.1 says: visible fields plus collectionId/collectionName (and expand),
/// keys sorted, never password/tokenKey, hidden fields only for superusers, an auth record's email only when
/// emailVisibility is on or the requester may see it.
/// </summary>
public static class RecordJsonWriter
{
    private static readonly ConditionalWeakTable<Collection, Plan[]> Plans = [];

    private sealed record Plan(bool Superuser, Entry[] Entries, int EmailVisibilityOrdinal, int IdOrdinal);

    /// <summary>One output key: a field (Ordinal ≥ 0) or the collectionId/collectionName constants (Ordinal -1 with Constant).</summary>
    private sealed record Entry(JsonEncodedText Key, Field? Field, int Ordinal, string? Constant, bool IsEmail);

    private static Plan GetPlan(Collection c, bool superuser)
    {
        var plans = Plans.GetValue(c, Build);
        return plans[superuser ? 1 : 0];
    }

    private static Plan[] Build(Collection c) => [BuildPlan(c, false), BuildPlan(c, true)];

    private static Plan BuildPlan(Collection c, bool superuser)
    {
        var entries = new List<Entry>
        {
            new(JsonEncodedText.Encode("collectionId"), null, -1, c.Id, false),
            new(JsonEncodedText.Encode("collectionName"), null, -1, c.Name, false),
        };
        for (var i = 0; i < c.Fields.Count; i++)
        {
            var f = c.Fields[i];
            if (!RecordVisibility.IsReadable(c, f, superuser)) continue;
            entries.Add(new Entry(JsonEncodedText.Encode(f.Name), f, i, null, RecordVisibility.IsEmail(c, f)));
        }
        entries.Sort((a, b) => string.CompareOrdinal(a.Key.Value, b.Key.Value));
        return new Plan(superuser, [.. entries], c.Fields.FindIndex(f => f.Name == "emailVisibility"), c.Fields.FindIndex(f => f.Name == "id"));
    }

    /// <summary>Who is looking: decides hidden fields and email visibility.</summary>
    public readonly record struct Viewer(bool IsSuperuser, string? AuthId, bool ShowAllEmails = false)
    {
        public static Viewer From(RequestInfo r) => new(r.IsSuperuser, r.Auth?.Id);
    }

    /// <summary>Writes a record held in memory (with its expand, if any).</summary>
    public static void Write(Utf8JsonWriter w, Record r, Viewer viewer)
    {
        if (r.Enrichment is { } enrichment)
        {
            WriteEnriched(w, r, viewer, enrichment);
            return;
        }
        var plan = GetPlan(r.Collection, viewer.IsSuperuser);
        var showEmail = RecordVisibility.ShowsEmail(viewer, r);
        w.WriteStartObject();
        var expandWritten = r.Expand is null;
        foreach (var e in plan.Entries)
        {
            if (!expandWritten && string.CompareOrdinal("expand", e.Key.Value) < 0)
            {
                WriteExpand(w, r, viewer);
                expandWritten = true;
            }
            if (e.IsEmail && !showEmail) continue;
            if (e.Constant is not null) { w.WriteString(e.Key, e.Constant); continue; }
            w.WritePropertyName(e.Key);
            e.Field!.WriteValue(w, r.Values.GetValueOrDefault(e.Field.Name));
        }
        if (!expandWritten) WriteExpand(w, r, viewer);
        w.WriteEndObject();
    }

    /// <summary>
    /// A record an enrich hook changed: the viewer's fields minus the hidden ones, plus unhidden fields (never password
    /// or tokenKey) and custom keys, sorted like every other record.
    /// </summary>
    private static void WriteEnriched(Utf8JsonWriter w, Record r, Viewer viewer, RecordEnrichment x)
    {
        var plan = GetPlan(r.Collection, viewer.IsSuperuser);
        var showEmail = RecordVisibility.ShowsEmail(viewer, r);
        var keys = new List<(string Key, Entry? Entry, Field? Field)>();
        foreach (var e in plan.Entries)
        {
            if (e.IsEmail && !showEmail) continue;
            if (x.Hidden.Contains(e.Key.Value)) continue;
            keys.Add((e.Key.Value, e, null));
        }
        foreach (var name in x.Unhidden)
        {
            if (x.Hidden.Contains(name) || keys.Exists(k => k.Key == name)) continue;
            if (r.Collection.FindField(name) is { } f && RecordVisibility.IsReadable(r.Collection, f, superuser: true)) keys.Add((name, null, f));
        }
        foreach (var name in x.Custom.Keys)
        {
            if (x.Hidden.Contains(name) || r.Collection.FindField(name) is not null || name is "expand" or "collectionId" or "collectionName") continue;
            keys.Add((name, null, null));
        }
        if (r.Expand is not null && !x.Hidden.Contains("expand")) keys.Add(("expand", null, null));
        keys.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        w.WriteStartObject();
        foreach (var (key, e, field) in keys)
        {
            if (e is not null)
            {
                if (e.Constant is not null) { w.WriteString(e.Key, e.Constant); continue; }
                w.WritePropertyName(e.Key);
                e.Field!.WriteValue(w, r.Values.GetValueOrDefault(e.Field.Name));
            }
            else if (field is not null)
            {
                w.WritePropertyName(key);
                field.WriteValue(w, r.Values.GetValueOrDefault(field.Name));
            }
            else if (key == "expand" && r.Expand is not null && !x.Custom.ContainsKey("expand"))
            {
                WriteExpand(w, r, viewer);
            }
            else
            {
                w.WritePropertyName(key);
                if (x.Custom[key] is { } node) node.WriteTo(w); else w.WriteNullValue();
            }
        }
        w.WriteEndObject();
    }

    private static void WriteExpand(Utf8JsonWriter w, Record r, Viewer viewer)
    {
        w.WritePropertyName("expand");
        w.WriteStartObject();
        // Related records are not the record the viewer was granted all emails of: each shows its email on its own
        // terms (emailVisibility, or EmailShown when the viewer is or manages that record).
        viewer = viewer with { ShowAllEmails = false };
        foreach (var (key, value) in r.Expand!.OrderBy(k => k.Key, StringComparer.Ordinal))
        {
            w.WritePropertyName(key);
            if (value is Record one) Write(w, one, viewer);
            else if (value is IEnumerable<Record> many)
            {
                w.WriteStartArray();
                foreach (var x in many) Write(w, x, viewer);
                w.WriteEndArray();
            }
        }
        w.WriteEndObject();
    }

    /// <summary>Writes the current row of a reader selected with RecordSql.SelectList (the hot path: no Record is built).</summary>
    public static void WriteRow(Utf8JsonWriter w, Collection c, DbDataReader reader, Viewer viewer)
    {
        var plan = GetPlan(c, viewer.IsSuperuser);
        var showEmail = true;
        if (c.IsAuth && !viewer.IsSuperuser && !viewer.ShowAllEmails)
        {
            showEmail = RecordVisibility.ShowsEmail(viewer,
                plan.EmailVisibilityOrdinal >= 0 && !reader.IsDBNull(plan.EmailVisibilityOrdinal) && reader.GetBoolean(plan.EmailVisibilityOrdinal),
                plan.IdOrdinal >= 0 ? reader.GetString(plan.IdOrdinal) : "");
        }
        w.WriteStartObject();
        foreach (var e in plan.Entries)
        {
            if (e.IsEmail && !showEmail) continue;
            if (e.Constant is not null) { w.WriteString(e.Key, e.Constant); continue; }
            w.WritePropertyName(e.Key);
            e.Field!.WriteFromReader(w, reader, e.Ordinal);
        }
        w.WriteEndObject();
    }
}
