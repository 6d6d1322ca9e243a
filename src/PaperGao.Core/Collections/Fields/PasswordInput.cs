namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// A plain password submitted for a password field, before hashing (the record service hashes it with the
/// field's cost and stores only the bcrypt hash). ToString never reveals the plain text.
/// </summary>
public sealed record PasswordInput(string Plain)
{
    public override string ToString() => "PasswordInput { Plain = *** }";
}
