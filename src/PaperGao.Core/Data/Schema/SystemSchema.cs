namespace PaperGao.Core.Data.Schema;

/// <summary>The system tables of a project; the same SQL runs on both dialects.</summary>
public static class SystemSchema
{
    public const string CollectionsTable = "_collections";
    public const string ParamsTable = "_params";
    public const string ApiKeysTable = "_apiKeys";

    public static IReadOnlyList<string> CreateStatements { get; } =
    [
        """CREATE TABLE IF NOT EXISTS "_collections" ("id" TEXT PRIMARY KEY NOT NULL, "name" TEXT NOT NULL, "type" TEXT NOT NULL, "system" BOOLEAN NOT NULL DEFAULT FALSE, "data" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
        """CREATE UNIQUE INDEX IF NOT EXISTS "_collections_name_idx" ON "_collections" (LOWER("name"))""",
        """CREATE TABLE IF NOT EXISTS "_params" ("id" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
        // API keys (ApiKeys/ApiKeyStore): only the SHA-256 of the secret is kept; scopes are JSON.
        """CREATE TABLE IF NOT EXISTS "_apiKeys" ("id" TEXT PRIMARY KEY NOT NULL, "name" TEXT NOT NULL, "hash" TEXT NOT NULL, "scopes" TEXT NOT NULL, "expires" TEXT NOT NULL, "lastUsed" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
    ];
}
