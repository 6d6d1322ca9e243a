using PaperGao.Core.Collections.Fields;
using PaperGao.Core.Common;

namespace PaperGao.Core.Collections;

/// <summary>Blank collections of each type with their default fields, options and indexes (protocol.md §4.1).</summary>
public static class CollectionScaffolds
{
    /// <summary>The id PocketBase derives from type and name: "pbc_" + CRC32(type + name).</summary>
    public static string CollectionId(CollectionType type, string name) => FieldIds.For("pbc_", type.ToJson() + name);

    public static Collection Create(CollectionType type, string name = "") => type switch
    {
        CollectionType.Auth => Auth(name),
        CollectionType.View => new Collection { Name = name, Type = CollectionType.View, ViewQuery = "" },
        _ => new Collection { Name = name, Type = CollectionType.Base, Fields = [TextField.CreateIdField()] },
    };

    private static Collection Auth(string name)
    {
        var c = new Collection
        {
            Name = name,
            Type = CollectionType.Auth,
            Auth = NewAuthOptions(),
            Fields =
            [
                TextField.CreateIdField(),
                Named(new PasswordField { System = true, Hidden = true, Required = true, Min = 8 }, "password"),
                Named(new TextField { System = true, Hidden = true, Required = true, Min = 30, Max = 60, AutogeneratePattern = "[a-zA-Z0-9]{50}" }, "tokenKey"),
                Named(new EmailField { System = true, Required = true }, "email"),
                Named(new BoolField { System = true }, "emailVisibility"),
                Named(new BoolField { System = true }, "verified"),
                Named(new AutodateField { OnCreate = true }, "created"),
                Named(new AutodateField { OnCreate = true, OnUpdate = true }, "updated"),
            ],
        };
        return c;
    }

    /// <summary>The unique indexes every auth collection needs (token key, email); named after the collection id.</summary>
    public static IEnumerable<string> AuthIndexes(Collection c) =>
    [
        $"CREATE UNIQUE INDEX `idx_tokenKey_{c.Id}` ON `{c.Name}` (`tokenKey`)",
        $"CREATE UNIQUE INDEX `idx_email_{c.Id}` ON `{c.Name}` (`email` COLLATE NOCASE) WHERE `email` != ''",
    ];

    public static AuthOptions NewAuthOptions() => new()
    {
        AuthToken = new TokenConfig(432000, RandomString.Alphanumeric(50)),
        PasswordResetToken = new TokenConfig(1800, RandomString.Alphanumeric(50)),
        EmailChangeToken = new TokenConfig(1800, RandomString.Alphanumeric(50)),
        VerificationToken = new TokenConfig(86400, RandomString.Alphanumeric(50)),
        FileToken = new TokenConfig(180, RandomString.Alphanumeric(50)),
        Extra = Mail.MailTemplates.DefaultExtra(),
    };

    private static Field Named(Field f, string name)
    {
        f.Name = name;
        f.Id = FieldIds.For(f.Type, name);
        return f;
    }
}
