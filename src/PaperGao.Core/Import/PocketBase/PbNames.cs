using PaperGao.Core.Data.Schema;
using PaperGao.Core.Projects;

namespace PaperGao.Core.Import.PocketBase;

/// <summary>Which PocketBase collection names PaperGao shares, and which clash with PaperGao's own system names.</summary>
public static class PbNames
{
    /// <summary>The system collections both products have (same names, ids and purpose).</summary>
    public static readonly IReadOnlySet<string> SharedSystem = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        ProjectInitializer.SuperusersName, SystemCollections.ExternalAuths, SystemCollections.Mfas, SystemCollections.Otps, SystemCollections.AuthOrigins,
    };

    /// <summary>Null when the name can be imported as is; otherwise why not.</summary>
    public static string? ClashOf(PbCollection c)
    {
        if (SharedSystem.Contains(c.Name)) return null;
        string[] ownTables = [SystemSchema.CollectionsTable, SystemSchema.ParamsTable, SystemSchema.ApiKeysTable];
        if (ownTables.Contains(c.Name, StringComparer.OrdinalIgnoreCase))
            return $"'{c.Name}' is the name of a PaperGao system table";
        if (c.Name.StartsWith('_'))
            return $"'{c.Name}' starts with '_', which PaperGao reserves for its system collections";
        if (c.Name.StartsWith("pg_", StringComparison.OrdinalIgnoreCase) || c.Name.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
            return $"'{c.Name}' starts with a prefix the databases reserve (pg_, sqlite_)";
        return null;
    }
}
