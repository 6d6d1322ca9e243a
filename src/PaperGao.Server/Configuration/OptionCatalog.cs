namespace PaperGao.Server.Configuration;

/// <summary>Every option the server reads (docs/deploy.md lists the same table). Add a row here to add an option.</summary>
public static class OptionCatalog
{
    public static readonly IReadOnlyList<ServerOption> All =
    [
        new("http", "http", OptionKind.Address, "127.0.0.1:8090", "Listen address (host:port or a URL)."),
        new("dir", "dir", OptionKind.Text, "papergao_data", "Data folder: SQLite projects and local files.", "PaperGao:Dir"),
        new("db", "db", OptionKind.Text, null, "PostgreSQL connection string; unset means embedded SQLite.", "PaperGao:Db", Secret: true),
        new("log-format", "logFormat", OptionKind.LogFormat, "text", "Console log format: text or json (one JSON object per line, with the trace id)."),
        new("statement-timeout-seconds", "statementTimeoutSeconds", OptionKind.SecondsOrOff, "30", "Longest one SQL statement may run; 0 turns the limit off.", "PaperGao:StatementTimeoutSeconds"),
        new("outbound-allow", "outboundAllow", OptionKind.List, null, "Comma-separated hosts, IPs or CIDR blocks server-side requests may reach although private or loopback.", "PaperGao:OutboundAllow"),
        new("sendmail", "sendmail", OptionKind.Text, "auto", "Mail program for a project whose SMTP is off: a path, auto (sendmail on PATH, /usr/sbin, /usr/lib) or off.", "PaperGao:Sendmail"),
        new("files-gc-interval", "filesGcInterval", OptionKind.Interval, "06:00:00", "How often unreferenced stored files are deleted (hh:mm:ss); 0 turns the job off.", "PaperGao:FilesGcInterval"),
        new("realtime-idle-seconds", "realtime.idleSeconds", OptionKind.PositiveSeconds, "300", "End a realtime stream after this long without a message.", "PaperGao:RealtimeIdleSeconds"),
        new("realtime-max-lifetime-seconds", "realtime.maxLifetimeSeconds", OptionKind.PositiveSeconds, "1800", "End a realtime stream after this long whatever happens.", "PaperGao:RealtimeMaxLifetimeSeconds"),
        new("realtime-queue", "realtime.queue", OptionKind.PositiveInt, "512", "Messages queued per realtime client before a stalled client is dropped.", "PaperGao:RealtimeQueue"),
        new("realtime-notify", "realtime.notify", OptionKind.RealtimeNotify, "after-commit", "How a record write tells the other PostgreSQL nodes: after-commit (right after its commit, before the answer) or transaction (pg_notify inside the write: also told when the node dies between commit and answer; commits of writes serialise, about 40% fewer writes per second).", "PaperGao:RealtimeNotify"),
        new("functions-timeout-seconds", "functions.timeoutSeconds", OptionKind.PositiveSeconds, "5", "Time limit of one function request.", "PaperGao:Functions:TimeoutSeconds"),
        new("functions-cron-timeout-seconds", "functions.cronTimeoutSeconds", OptionKind.PositiveSeconds, "60", "Time limit of one scheduled function run.", "PaperGao:Functions:CronTimeoutSeconds"),
        new("functions-memory-mb", "functions.memoryMb", OptionKind.PositiveInt, "64", "Memory limit of one function run, in MiB.", "PaperGao:Functions:MemoryMb"),
        new("functions-max-statements", "functions.maxStatements", OptionKind.PositiveInt, "50000000", "Statement limit of one function run.", "PaperGao:Functions:MaxStatements"),
        new("functions-max-recursion", "functions.maxRecursion", OptionKind.PositiveInt, "256", "Call depth limit of one function run.", "PaperGao:Functions:MaxRecursion"),
        new("functions-pool-size", "functions.poolSize", OptionKind.PositiveInt, null, "Calls running JavaScript at once (default: the CPU count, at least 2).", "PaperGao:Functions:PoolSize"),
        new("functions-max-engines", "functions.maxEngines", OptionKind.PositiveInt, null, "Calls that may hold a function engine, counting those waiting on a write or query (default 32).", "PaperGao:Functions:MaxEngines"),
        new("functions-queue-seconds", "functions.queueSeconds", OptionKind.PositiveSeconds, "5", "How long a function call waits for a free engine.", "PaperGao:Functions:QueueSeconds"),
        new("metrics-listen", "metrics.listen", OptionKind.Address, null, "Separate listen address serving only /metrics (Prometheus text format), e.g. 127.0.0.1:9464; unset: none.", "PaperGao:MetricsListen"),
        new("metrics-token", "metrics.token", OptionKind.Token, null, "Bearer token /metrics requires (16+ characters); without metrics-listen, /metrics is then served on the public address.", "PaperGao:MetricsToken", Secret: true),
        new("otlp-endpoint", "otlp.endpoint", OptionKind.Address, null, "OTLP/HTTP collector (e.g. http://127.0.0.1:4318) that receives traces at /v1/traces; unset: no tracing.", "PaperGao:OtlpEndpoint"),
    ];

    public static ServerOption? ByFlag(string flag) => All.FirstOrDefault(o => o.Flag == flag);

    public static ServerOption? ByLegacyKey(string key) => All.FirstOrDefault(o => string.Equals(o.LegacyKey, key, StringComparison.OrdinalIgnoreCase));

    public static ServerOption? ByEnvVar(string name) => All.FirstOrDefault(o => o.EnvVar == name);

    public static ServerOption? ByFileKey(string key) => All.FirstOrDefault(o => string.Equals(o.FileKey, key, StringComparison.OrdinalIgnoreCase));
}
