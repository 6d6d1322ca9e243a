namespace PaperGao.Core.Data.Schema;

/// <summary>The system tables of a project; the same SQL runs on both dialects.</summary>
public static class SystemSchema
{
    public const string CollectionsTable = "_collections";
    public const string ParamsTable = "_params";
    public const string ApiKeysTable = "_apiKeys";
    public const string PushDevicesTable = "_pushDevices";
    public const string PushSendsTable = "_pushSends";

    public static IReadOnlyList<string> CreateStatements { get; } =
    [
        """CREATE TABLE IF NOT EXISTS "_collections" ("id" TEXT PRIMARY KEY NOT NULL, "name" TEXT NOT NULL, "type" TEXT NOT NULL, "system" BOOLEAN NOT NULL DEFAULT FALSE, "data" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
        """CREATE UNIQUE INDEX IF NOT EXISTS "_collections_name_idx" ON "_collections" (LOWER("name"))""",
        """CREATE TABLE IF NOT EXISTS "_params" ("id" TEXT PRIMARY KEY NOT NULL, "value" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
        // API keys (ApiKeys/ApiKeyStore): only the SHA-256 of the secret is kept; scopes are JSON.
        """CREATE TABLE IF NOT EXISTS "_apiKeys" ("id" TEXT PRIMARY KEY NOT NULL, "name" TEXT NOT NULL, "hash" TEXT NOT NULL, "scopes" TEXT NOT NULL, "expires" TEXT NOT NULL, "lastUsed" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
        // Push devices and the delivery log of each send (Push/PushDeviceStore, Push/PushSendStore); topics are ",a,b,".
        """CREATE TABLE IF NOT EXISTS "_pushDevices" ("id" TEXT PRIMARY KEY NOT NULL, "collectionId" TEXT NOT NULL, "userId" TEXT NOT NULL, "platform" TEXT NOT NULL, "endpoint" TEXT NOT NULL, "p256dh" TEXT NOT NULL, "auth" TEXT NOT NULL, "topics" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
        """CREATE UNIQUE INDEX IF NOT EXISTS "_pushDevices_endpoint_idx" ON "_pushDevices" ("endpoint")""",
        """CREATE INDEX IF NOT EXISTS "_pushDevices_user_idx" ON "_pushDevices" ("userId", "collectionId")""",
        """CREATE TABLE IF NOT EXISTS "_pushSends" ("id" TEXT PRIMARY KEY NOT NULL, "status" TEXT NOT NULL, "target" TEXT NOT NULL, "recipients" BIGINT NOT NULL, "accepted" BIGINT NOT NULL, "rejected" BIGINT NOT NULL, "invalid" BIGINT NOT NULL, "retried" BIGINT NOT NULL, "error" TEXT NOT NULL, "created" TEXT NOT NULL, "updated" TEXT NOT NULL)""",
        // Sends not finished yet (Push/PushJobStore): the job as JSON and the lease of the node running it.
        """CREATE TABLE IF NOT EXISTS "_pushJobs" ("id" TEXT PRIMARY KEY NOT NULL, "job" TEXT NOT NULL, "lease" TEXT NOT NULL, "created" TEXT NOT NULL)""",
    ];
}
