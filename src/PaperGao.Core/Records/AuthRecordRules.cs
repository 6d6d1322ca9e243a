using System.Text.Json.Nodes;
using PaperGao.Core.Auth;
using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;

namespace PaperGao.Core.Records;

/// <summary>
/// What auth records add to create and update (protocol.md §2.4, §2.6): passwordConfirm, oldPassword, who may set
/// verified and email, and a new tokenKey whenever the password or email changes (so every old token dies).
/// <c>canManage</c> is true for superusers and for callers whose collection manageRule matches the target record
/// (protocol.md §3.10): they may set email and verified and change the password without oldPassword.
/// These are the auth form's checks: as in PocketBase, when one fails the write answers with these errors alone,
/// before the record's own field checks run (the caller stops on them).
/// </summary>
public static class AuthRecordRules
{
    public static void OnCreate(Record record, JsonObject body, bool canManage, ErrorData errors)
    {
        CheckPasswords(record, body, isNew: true, errors);
        // As PocketBase: asking for verified=true without the right to manage is a 400, not silently dropped.
        if (!canManage && record.GetBool("verified"))
            errors.Add("verified", new FieldError("validation_values_mismatch", "Only superusers (or callers the manageRule allows) can change the verified state."));
        if (!canManage) record.Values["verified"] = false;
        if (record.Collection.Name == Projects.ProjectInitializer.SuperusersName) record.Values["verified"] = true;
        record.Values["tokenKey"] = RandomString.Alphanumeric(50);
        if (record.Values.GetValueOrDefault("email") is string email) record.Values["email"] = email.Trim();
    }

    public static async Task OnUpdateAsync(Record original, Record record, JsonObject body, bool canManage, ErrorData errors, CancellationToken ct)
    {
        var passwordChanged = record.Values.GetValueOrDefault("password") is PasswordInput;
        CheckPasswords(record, body, isNew: false, errors);
        var old = BodyString(body, "oldPassword");
        if (!canManage && !errors.Contains("oldPassword") && (passwordChanged || BodyString(body, "passwordConfirm").Length > 0)
            && (old.Length == 0 || !await PasswordHasher.VerifyAsync(old, original.GetString("password"), ct)))
        {
            errors.Add("oldPassword", new FieldError("validation_invalid_old_password", "Missing or invalid old password."));
        }
        if (record.Values.GetValueOrDefault("email") is string email) record.Values["email"] = email.Trim();
        var emailChanged = !string.Equals(original.GetString("email"), record.GetString("email"), StringComparison.Ordinal);
        if (!canManage)
        {
            if (emailChanged)
                errors.Add("email", new FieldError("validation_values_mismatch", "Only superusers (or callers the manageRule allows) can change the email directly; use the email change flow."));
            if (original.GetBool("verified") != record.GetBool("verified"))
                errors.Add("verified", new FieldError("validation_values_mismatch", "Only superusers (or callers the manageRule allows) can change the verified state."));
        }
        if (record.Collection.Name == Projects.ProjectInitializer.SuperusersName) record.Values["verified"] = true;
        if (passwordChanged || emailChanged) record.Values["tokenKey"] = RandomString.Alphanumeric(50);
    }

    /// <summary>
    /// password is required on create, or when a confirmation or old password is sent; passwordConfirm is required on
    /// create, or when a password or old password is sent, and must always equal the password.
    /// </summary>
    private static void CheckPasswords(Record record, JsonObject body, bool isNew, ErrorData errors)
    {
        var password = record.Values.GetValueOrDefault("password") is PasswordInput input ? input.Plain : "";
        var confirm = BodyString(body, "passwordConfirm");
        var old = BodyString(body, "oldPassword");
        if (password.Length == 0 && (isNew || confirm.Length > 0 || old.Length > 0)) errors.Add("password", FieldError.Required());
        if (confirm.Length == 0 && (isNew || password.Length > 0 || old.Length > 0)) errors.Add("passwordConfirm", FieldError.Required());
        else if (!string.Equals(confirm, password, StringComparison.Ordinal))
            errors.Add("passwordConfirm", new FieldError("validation_values_mismatch", "Values don't match."));
    }

    private static string BodyString(JsonObject body, string key) =>
        body[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
