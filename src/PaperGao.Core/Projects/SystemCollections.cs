using PaperGao.Core.Collections;
using PaperGao.Core.Collections.Fields;

namespace PaperGao.Core.Projects;

/// <summary>
/// The system base collections every project has next to its auth collections (protocol.md §3.10): OAuth2 links,
/// MFA sessions, one-time passwords and sign-in origins. Created on a new project, and added to an older one the
/// first time it opens (ProjectInitializer.EnsureSystemCollectionsAsync).
/// </summary>
public static class SystemCollections
{
    public const string ExternalAuths = "_externalAuths";
    public const string Mfas = "_mfas";
    public const string Otps = "_otps";
    public const string AuthOrigins = "_authOrigins";

    private const string OwnerRule = "@request.auth.id != '' && recordRef = @request.auth.id && collectionRef = @request.auth.collectionId";

    public static IReadOnlyList<Collection> Create() =>
    [
        Build(ExternalAuths, deletable: true, [Text("collectionRef", true), Text("recordRef", true), Text("provider", true), Text("providerId", true)],
            c => [$"CREATE UNIQUE INDEX `idx_externalAuths_record_provider` ON `{c}` (`collectionRef`, `recordRef`, `provider`)",
                  $"CREATE UNIQUE INDEX `idx_externalAuths_collection_provider` ON `{c}` (`collectionRef`, `provider`, `providerId`)"]),
        Build(Mfas, deletable: false, [Text("collectionRef", true), Text("recordRef", true), Text("method", true)],
            c => [$"CREATE INDEX `idx_mfas_collectionRef_recordRef` ON `{c}` (`collectionRef`, `recordRef`)"]),
        Build(Otps, deletable: false, [Text("collectionRef", true), Text("recordRef", true), Hidden(new PasswordField { Required = true, Cost = 8 }, "password"), Text("sentTo", false, hidden: true)],
            c => [$"CREATE INDEX `idx_otps_collectionRef_recordRef` ON `{c}` (`collectionRef`, `recordRef`)"]),
        Build(AuthOrigins, deletable: true, [Text("collectionRef", true), Text("recordRef", true), Text("fingerprint", true)],
            c => [$"CREATE UNIQUE INDEX `idx_authOrigins_unique_pairs` ON `{c}` (`collectionRef`, `recordRef`, `fingerprint`)"]),
    ];

    private static Collection Build(string name, bool deletable, Field[] fields, Func<string, string[]> indexes)
    {
        var c = CollectionScaffolds.Create(CollectionType.Base, name);
        c.Id = CollectionScaffolds.CollectionId(CollectionType.Base, name);
        c.System = true;
        c.ListRule = c.ViewRule = OwnerRule;
        c.DeleteRule = deletable ? OwnerRule : null;
        c.Fields.AddRange(fields);
        c.Fields.Add(AutodateField.CreateCreated());
        c.Fields.Add(AutodateField.CreateUpdated());
        c.Indexes = [.. indexes(name)];
        return c;
    }

    private static Field Text(string name, bool required, bool hidden = false) =>
        Hidden(new TextField { System = true, Required = required, Max = 255 }, name, hidden);

    private static Field Hidden(Field f, string name, bool hidden = true)
    {
        f.Name = name;
        f.Id = FieldIds.For(f.Type, name);
        f.System = true;
        f.Hidden = hidden;
        return f;
    }
}
