using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Data.Schema;
using PaperGao.Core.Filter;
using PaperGao.Core.Records;

namespace PaperGao.Core.Collections;

/// <summary>
/// Validates a collection before it is saved (protocol.md §4.1–4.3): names, fields, rules, indexes and auth options.
/// Pure: the caller supplies the proposed set of collections (including this one) and the names of the tables in the
/// database that are not collections. Errors are keyed like the collection JSON.
/// </summary>
public static partial class CollectionValidator
{
    public const int MaxNameLength = 255;
    public const int MaxIdLength = 100;
    public const int MaxFields = 1000;

    private static readonly HashSet<string> ReservedFieldNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "null", "true", "false", "_rowid_", "collectionId", "collectionName", "expand",
    };

    private static readonly HashSet<string> ReservedAuthFieldNames = new(StringComparer.OrdinalIgnoreCase) { "passwordConfirm", "oldPassword" };

    /// <summary>The system fields every auth collection has.</summary>
    public static readonly IReadOnlyList<string> AuthSystemFields = ["id", "password", "tokenKey", "email", "emailVisibility", "verified"];

    [GeneratedRegex(@"^[A-Za-z0-9_]+$")]
    private static partial Regex NameRegex();

    public static bool IsValidName(string name) => name.Length is > 0 and <= MaxNameLength && NameRegex().IsMatch(name);

    /// <param name="c">The collection to save (ids filled in).</param>
    /// <param name="old">The stored version when updating, null when creating.</param>
    /// <param name="all">Every collection as it will be after the save (c included).</param>
    /// <param name="otherTables">Lower-cased names of tables/views in the database that belong to no collection of <paramref name="all"/>'s predecessors.</param>
    public static ErrorData Validate(Collection c, Collection? old, CollectionSet all, IReadOnlySet<string> otherTables, ISqlDialect dialect)
    {
        var errors = new ErrorData();
        ValidateId(c, old, all, errors);
        ValidateName(c, old, all, otherTables, errors);
        ValidateFields(c, old, all, errors);
        ValidateRules(c, old, all, dialect, errors);
        ValidateIndexes(c, all, otherTables, errors);
        if (c.IsAuth) ValidateAuth(c, errors);
        return errors;
    }

    private static void ValidateId(Collection c, Collection? old, CollectionSet all, ErrorData errors)
    {
        if (old is not null) return;
        if (c.Id.Length == 0 || c.Id.Length > MaxIdLength || !NameRegex().IsMatch(c.Id))
            errors.Add("id", new FieldError("validation_invalid_id", $"The id must be 1-{MaxIdLength} letters, digits or '_'."));
        else if (all.All.Count(x => x.Id == c.Id) > 1)
            errors.Add("id", NotUnique());
    }

    private static void ValidateName(Collection c, Collection? old, CollectionSet all, IReadOnlySet<string> otherTables, ErrorData errors)
    {
        if (c.Name.Length == 0) { errors.Add("name", FieldError.Required()); return; }
        if (!IsValidName(c.Name))
        {
            errors.Add("name", new FieldError("validation_invalid_name", $"Use 1-{MaxNameLength} letters, digits or '_'."));
            return;
        }
        if (old is { System: true } && !string.Equals(old.Name, c.Name, StringComparison.Ordinal))
        {
            errors.Add("name", new FieldError("validation_system_collection_name_change", "System collections can't be renamed."));
            return;
        }
        var renamed = old is null || !string.Equals(old.Name, c.Name, StringComparison.OrdinalIgnoreCase);
        if (all.All.Any(x => x.Id != c.Id && string.Equals(x.Name, c.Name, StringComparison.OrdinalIgnoreCase))
            || (renamed && otherTables.Contains(c.Name.ToLowerInvariant())))
        {
            errors.Add("name", NameExists());
            return;
        }
        if (renamed && (c.Name.StartsWith('_') || c.Name.StartsWith("pg_", StringComparison.OrdinalIgnoreCase) || c.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase)) && !c.System)
        {
            errors.Add("name", new FieldError("validation_invalid_name", "Names starting with '_', 'pg_' or 'sqlite_' are reserved."));
        }
    }

    private static void ValidateFields(Collection c, Collection? old, CollectionSet all, ErrorData errors)
    {
        if (c.Fields.Count > MaxFields)
        {
            errors.Add("fields", new FieldError("validation_length_too_long", $"A collection can have at most {MaxFields} fields."));
            return;
        }
        var fieldErrors = new ErrorData();
        var names = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < c.Fields.Count; i++)
        {
            var f = c.Fields[i];
            var fe = new ErrorData();
            if (f.Id.Length == 0 || f.Id.Length > MaxIdLength || !NameRegex().IsMatch(f.Id)) fe.Add("id", new FieldError("validation_invalid_id", "Invalid field id."));
            else if (!ids.Add(f.Id)) fe.Add("id", NotUnique());
            if (f.Name.Length == 0) fe.Add("name", FieldError.Required());
            else if (!IsValidName(f.Name)) fe.Add("name", new FieldError("validation_invalid_name", $"Use 1-{MaxNameLength} letters, digits or '_'."));
            else if (ReservedFieldNames.Contains(f.Name))
                fe.Add("name", new FieldError("validation_not_in_invalid", "The name is reserved."));
            else if (c.IsAuth && ReservedAuthFieldNames.Contains(f.Name))
                fe.Add("name", new FieldError("validation_reserved_field_name", "The name is reserved for auth collections."));
            else if (f.Name.Contains("_via_", StringComparison.OrdinalIgnoreCase))
                fe.Add("name", new FieldError("validation_invalid_name", "The name can't contain \"_via_\"."));
            else if (names.ContainsKey(f.Name)) fe.Add("name", NotUnique("Duplicated field name."));
            else if (f.Name.StartsWith("_pg_", StringComparison.OrdinalIgnoreCase))
                fe.Add("name", new FieldError("validation_invalid_name", "Names starting with \"_pg_\" are reserved."));
            names.TryAdd(f.Name, i);

            if (old?.FindFieldById(f.Id) is { System: true } before)
            {
                if (!string.Equals(before.Name, f.Name, StringComparison.Ordinal))
                    fe.Add("name", new FieldError("validation_system_field_name_change", "System fields can't be renamed."));
                if (before.Type != f.Type)
                    fe.Add("type", new FieldError("validation_system_field_type_change", "The type of a system field can't be changed."));
            }
            if (f.Name == "id" && f is not TextField { PrimaryKey: true })
                fe.Add("type", new FieldError("validation_invalid_primary_key", "The \"id\" field must be a text field with primaryKey."));

            if (!c.IsView || f is RelationField) f.ValidateDefinition(c, all, fe);
            fieldErrors.Add(i.ToString(CultureInfo.InvariantCulture), fe);
        }
        if (!fieldErrors.IsEmpty)
        {
            errors.Add("fields", fieldErrors);
            return;
        }
        if (c.FindField("id") is null)
        {
            errors.Add("fields", new FieldError("validation_missing_primary_key", "The \"id\" field is required."));
            return;
        }
        if (old is not null)
        {
            var removed = old.Fields.FirstOrDefault(o => o.System && c.FindFieldById(o.Id) is null);
            if (removed is not null && !c.IsView)
                errors.Add("fields", new FieldError("validation_system_field_change", $"The system field \"{removed.Name}\" can't be removed."));
        }
        if (c.IsAuth)
        {
            foreach (var name in AuthSystemFields)
            {
                if (c.FindField(name) is null)
                {
                    errors.Add("fields", new FieldError("validation_missing_system_field", $"Auth collections need the \"{name}\" field."));
                    break;
                }
            }
        }
    }

    private static void ValidateRules(Collection c, Collection? old, CollectionSet all, ISqlDialect dialect, ErrorData errors)
    {
        var rules = new List<(string Key, string? Rule, string? OldRule)>
        {
            ("listRule", c.ListRule, old?.ListRule),
            ("viewRule", c.ViewRule, old?.ViewRule),
            ("createRule", c.CreateRule, old?.CreateRule),
            ("updateRule", c.UpdateRule, old?.UpdateRule),
            ("deleteRule", c.DeleteRule, old?.DeleteRule),
        };
        if (c.Auth is { } a)
        {
            rules.Add(("authRule", a.AuthRule, old?.Auth?.AuthRule));
            rules.Add(("manageRule", a.ManageRule, old?.Auth?.ManageRule));
        }
        foreach (var (key, rule, oldRule) in rules)
        {
            if (old is { System: true } && rule != oldRule)
            {
                errors.Add(key, new FieldError("validation_system_collection_rule_change", "The rules of system collections can't be changed."));
                continue;
            }
            if (rule is null) continue;
            if (key == "manageRule" && rule.Trim().Length == 0)
            {
                errors.Add(key, new FieldError("validation_invalid_rule", "The manage rule must be null or a non-empty filter."));
                continue;
            }
            if (RuleError(rule, c, all, dialect) is { } message) errors.Add(key, InvalidRule(message));
        }
        if (Auth.OAuth2.OAuth2Config.Validate(c.Auth?.Extra) is { } oauth2Errors) errors.Add("oauth2", oauth2Errors);
        if (c.Auth?.Extra["mfa"] is JsonObject mfa && mfa["rule"] is JsonValue mv && mv.TryGetValue<string>(out var mfaRule)
            && RuleError(mfaRule, c, all, dialect) is { } mfaError)
        {
            errors.Add("mfa", new ErrorData().Add("rule", InvalidRule(mfaError)));
        }
    }

    /// <summary>Compiles a rule against the collection as a superuser would (so @request.* and @collection.* are allowed). Null when it compiles.</summary>
    public static string? RuleError(string rule, Collection c, CollectionSet all, ISqlDialect dialect)
    {
        if (rule.Trim().Length == 0) return null;
        var ctx = new RecordQueryContext
        {
            Collection = c,
            Collections = all,
            Dialect = dialect,
            Params = new SqlParams(),
            Request = new RequestInfo { IsSuperuser = true },
            AllowRequestAndCollection = true,
            AllowHiddenFields = true,
        };
        try
        {
            FilterCompiler.CompileFilter(rule, ctx);
            return null;
        }
        catch (FilterException ex)
        {
            return ex.Message;
        }
        catch (NotSupportedException ex)
        {
            return ex.Message;
        }
    }

    private static void ValidateIndexes(Collection c, CollectionSet all, IReadOnlySet<string> otherTables, ErrorData errors)
    {
        if (c.IsView)
        {
            if (c.Indexes.Count > 0) errors.Add("indexes", new FieldError("validation_invalid_index", "View collections can't have indexes."));
            return;
        }
        var indexErrors = new ErrorData();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var otherIndexNames = new HashSet<string>(
            all.All.Where(x => x.Id != c.Id).SelectMany(x => x.Indexes)
                .Select(t => IndexDefinition.TryParse(t, out var d, out _) ? d!.Name : null).OfType<string>(),
            StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < c.Indexes.Count; i++)
        {
            var key = i.ToString(CultureInfo.InvariantCulture);
            if (!IndexDefinition.TryParse(c.Indexes[i], out var idx, out var error) || idx is null)
            {
                indexErrors.Add(key, new FieldError("validation_invalid_index", error));
                continue;
            }
            if (!IsValidName(idx.Name) || idx.Name.StartsWith("_pg_", StringComparison.OrdinalIgnoreCase))
            {
                indexErrors.Add(key, new FieldError("validation_invalid_index", "Invalid index name."));
                continue;
            }
            if (!names.Add(idx.Name))
            {
                indexErrors.Add(key, new FieldError("validation_duplicated_index_name", $"The index name \"{idx.Name}\" is used more than once."));
                continue;
            }
            if (otherIndexNames.Contains(idx.Name) || otherTables.Contains(idx.Name.ToLowerInvariant())
                || all.All.Any(x => string.Equals(x.Name, idx.Name, StringComparison.OrdinalIgnoreCase)))
            {
                indexErrors.Add(key, new FieldError("validation_invalid_index", $"The index name \"{idx.Name}\" is already used."));
                continue;
            }
            var missing = idx.Columns.Select(col => col.Column).Append(idx.WhereNotEmptyColumn).OfType<string>()
                .FirstOrDefault(col => !c.Fields.Exists(f => string.Equals(f.Name, col, StringComparison.OrdinalIgnoreCase)));
            if (missing is not null)
            {
                indexErrors.Add(key, new FieldError("validation_invalid_index", $"The index column \"{missing}\" is not a field of the collection."));
                continue;
            }
            if (idx.Columns.Select(col => col.Column).Distinct(StringComparer.OrdinalIgnoreCase).Count() != idx.Columns.Count)
                indexErrors.Add(key, new FieldError("validation_invalid_index", "The index lists a column more than once."));
        }
        errors.Add("indexes", indexErrors);
    }

    private static void ValidateAuth(Collection c, ErrorData errors)
    {
        var a = c.Auth!;
        var pe = new ErrorData();
        var unique = c.Indexes.Select(t => IndexDefinition.TryParse(t, out var d, out _) ? d : null)
            .Where(d => d is { Unique: true, Columns.Count: 1 })
            .Select(d => d!.Columns[0].Column)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var name in a.IdentityFields)
        {
            if (c.FindField(name) is null)
            {
                pe.Add("identityFields", new FieldError("validation_missing_field", $"\"{name}\" is not a field of the collection."));
                break;
            }
            if (!unique.Contains(name))
            {
                pe.Add("identityFields", new FieldError("validation_missing_unique_constraint", $"The identity field \"{name}\" needs a UNIQUE index on that column alone."));
                break;
            }
        }
        errors.Add("passwordAuth", pe);
    }

    private static FieldError NotUnique(string message = "Value must be unique.") => new("validation_not_unique", message);

    /// <summary>PocketBase's code for a name another collection (or table) already has.</summary>
    public static FieldError NameExists() => new("validation_collection_name_exists", "A collection or table with this name already exists.");

    private static FieldError InvalidRule(string message) => new("validation_invalid_rule", "Invalid rule. " + message);
}
