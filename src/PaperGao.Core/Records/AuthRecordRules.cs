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
/// </summary>
public static class AuthRecordRules
{
    public static void OnCreate(Record record, JsonObject body, bool canManage, ErrorData errors)
    {
        CheckConfirm(record, body, errors);
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
        if (passwordChanged)
        {
            CheckConfirm(record, body, errors);
            if (!canManage)
            {
                var old = body["oldPassword"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
                if (old.Length == 0 || !await PasswordHasher.VerifyAsync(old, original.GetString("password"), ct))
                    errors.Add("oldPassword", new FieldError("validation_invalid_old_password", "Missing or invalid old password."));
            }
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

    private static void CheckConfirm(Record record, JsonObject body, ErrorData errors)
    {
        if (record.Values.GetValueOrDefault("password") is not PasswordInput input) return;
        var confirm = body["passwordConfirm"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (confirm is null or "") errors.Add("passwordConfirm", FieldError.Required());
        else if (confirm != input.Plain) errors.Add("passwordConfirm", new FieldError("validation_values_mismatch", "Values don't match."));
    }
}
