using System.Buffers;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Jint.Native;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Records;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions.Js;

/// <summary>
/// A record as functions see it (PocketBase's core.Record methods): get/set by field name with the field's
/// normalization, typed getters, auth helpers, and JSON export. Values are validated again when the record is saved.
/// </summary>
public sealed class JsRecord(FunctionEngine engine, Record record, bool isNew = false)
{
    private Record? _snapshot;

    internal Record Inner { get; private set; } = record;
    internal bool New { get; private set; } = isNew;

    /// <summary>
    /// The stored state (null for a new record): what save() compares to send only changed fields, and original().
    /// Copied lazily: until the first change (or <see cref="Freeze"/>) the record itself is that state, so a record
    /// only read (an enrich handler that hides fields, a finder's result) is never copied.
    /// </summary>
    internal Record? Stored => New ? null : _snapshot ?? Inner;

    /// <summary>Keeps the current state as the stored one before someone else changes the record (the write pipeline, after e.next()).</summary>
    internal void Freeze()
    {
        if (!New) _snapshot ??= Inner.Clone();
    }

    internal void Replace(Record saved)
    {
        Inner = saved;
        _snapshot = null;
        New = false;
    }

    public string Id
    {
        get => Inner.Id;
        set
        {
            Freeze();
            Inner.Id = value;
        }
    }

    public JsCollection Collection() => new(Inner.Collection);

    public string TableName() => Inner.Collection.Name;

    public bool IsNew() => New;

    public JsRecord? Original() => Stored is null ? null : new JsRecord(engine, Stored.Clone());

    public JsValue Get(string name)
    {
        var f = Inner.Collection.FindField(name);
        if (f is null)
            return Inner.Enrichment is { } x && x.Custom.TryGetValue(name, out var custom) ? JsConvert.FromNode(engine.Js, custom) : JsValue.Undefined;
        return JsConvert.FromNode(engine.Js, JsConvert.FieldValue(f, Inner.Values.GetValueOrDefault(name)));
    }

    public void Set(string name, JsValue value)
    {
        var (fieldName, modifier) = RecordInputApplier.ParseKey(name);
        var f = Inner.Collection.FindField(fieldName);
        if (f is null)
        {
            if (Inner.Enrichment is { AllowCustom: true } x && modifier is null)
            {
                if (name is "expand" or "collectionId" or "collectionName") throw ApiError.BadRequest("\"" + name + "\" cannot be custom data.");
                x.Custom[name] = JsConvert.ToNode(engine.Js, value);
            }
            return;
        }
        Freeze();
        if (f is PasswordField)
        {
            Inner.Values[f.Name] = new PasswordInput(value.IsString() ? value.AsString() : value.ToString());
            return;
        }
        var node = JsConvert.ToNode(engine.Js, value);
        object? result;
        FieldError? error;
        var ok = modifier is { } m
            ? f.TryApplyModifier(m, Inner.Values.GetValueOrDefault(f.Name), node, out result, out error)
            : f.TryNormalize(node, out result, out error);
        if (!ok || error is not null)
            throw ApiError.BadRequest("Invalid value for field " + f.Name + ".", new ErrorData().Add(f.Name, error ?? new FieldError("validation_invalid_value", "Invalid value.")));
        Inner.Values[f.Name] = result;
    }

    /// <summary>Leaves fields (or "expand") out of what clients see (onRecordEnrich, e.json(record)).</summary>
    public JsRecord Hide(params string[] names)
    {
        var x = Enrich();
        foreach (var n in names) { x.Hidden.Add(n); x.Unhidden.Remove(n); }
        return this;
    }

    /// <summary>Shows fields again, also fields the collection marks hidden (never password or tokenKey).</summary>
    public JsRecord Unhide(params string[] names)
    {
        var x = Enrich();
        foreach (var n in names) { x.Hidden.Remove(n); x.Unhidden.Add(n); }
        return this;
    }

    /// <summary>Allows set() of names that are not fields: they go into the output as extra keys.</summary>
    public JsRecord WithCustomData(bool allow)
    {
        Enrich().AllowCustom = allow;
        return this;
    }

    private RecordEnrichment Enrich() => Inner.Enrichment ??= new RecordEnrichment();

    /// <summary>Sets every property of a plain object (like a request body).</summary>
    public void Load(JsValue data)
    {
        if (data is not Jint.Native.Object.ObjectInstance o) return;
        foreach (var key in o.GetOwnPropertyKeys()) Set(key.ToString(), o.Get(key));
    }

    public string GetString(string name) => Inner.Values.GetValueOrDefault(name) switch
    {
        null => "",
        string s => s,
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        PasswordInput => "",
        var v => JsConvert.FieldValue(Inner.Collection.FindField(name)!, v)?.ToJsonString() ?? "",
    };

    public double GetFloat(string name) => Inner.Values.GetValueOrDefault(name) switch
    {
        double d => d,
        bool b => b ? 1 : 0,
        string s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => d,
        _ => 0,
    };

    public long GetInt(string name) => (long)Math.Truncate(GetFloat(name));

    public bool GetBool(string name) => Inner.Values.GetValueOrDefault(name) switch
    {
        bool b => b,
        double d => d != 0,
        string s => s is "1" or "true" or "t" or "TRUE" or "True",
        _ => false,
    };

    public string[] GetStringSlice(string name) => [.. Inner.GetStrings(name)];

    public string Email() => Inner.GetString("email");

    public void SetEmail(string email) => Set("email", new JsString(email));

    public bool Verified() => Inner.GetBool("verified");

    public void SetVerified(bool verified)
    {
        Freeze();
        Inner.Values["verified"] = verified;
    }

    public void SetPassword(string password) => Set("password", new JsString(password));

    public bool ValidatePassword(string password) =>
        Inner.Values.GetValueOrDefault("password") is string hash && FunctionCall.Wait(PasswordHasher.VerifyAsync(password, hash));

    /// <summary>The record as the API shows it to a superuser (hidden fields included, password never).</summary>
    public JsValue PublicExport() => JsConvert.FromJson(engine.Js, ToJsonText());

    /// <summary>Called by JSON.stringify(record).</summary>
    public JsValue ToJSON() => PublicExport();

    public override string ToString() => ToJsonText();

    internal string ToJsonText()
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer)) RecordJsonWriter.Write(w, Inner, new RecordJsonWriter.Viewer(true, null));
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>The body that writes this record through the API pipeline: every field when new, else the changed ones.</summary>
    internal JsonObject ToBody()
    {
        var body = new JsonObject();
        foreach (var f in Inner.Collection.Fields)
        {
            if (f is AutodateField) continue;
            var value = Inner.Values.GetValueOrDefault(f.Name);
            if (value is PasswordInput pw)
            {
                body[f.Name] = pw.Plain;
                if (Inner.Collection.IsAuth && f.Name == "password") body["passwordConfirm"] = pw.Plain;
                continue;
            }
            if (f is PasswordField) continue;
            if (Stored is { } stored && f.Name != "id" && Equals(JsConvert.FieldValue(f, stored.Values.GetValueOrDefault(f.Name))?.ToJsonString(), JsConvert.FieldValue(f, value)?.ToJsonString())) continue;
            if (Stored is not null && f.Name == "id") continue;
            if (New && f.Name == "id" && value is string { Length: 0 }) continue;
            body[f.Name] = JsConvert.FieldValue(f, value);
        }
        return body;
    }
}
