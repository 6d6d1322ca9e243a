namespace PaperGao.Server.Cli;

/// <summary>The papergao command line: serve (default), superuser upsert|delete, files gc, import pocketbase, help.</summary>
public static class CommandLine
{
    public const string Usage = """
        Usage:
          papergao serve [--config papergao.json] [--http 127.0.0.1:8090] [--dir ./papergao_data] [--db <postgres connection string>]
                         [--log-format text|json] [... every option in docs/deploy.md]
          papergao config print [--config papergao.json] [options]   (the effective configuration, secrets masked)
          papergao superuser upsert <email> <password> [--project main] [--dir ...] [--db ...]
          papergao superuser delete <email> [--project main] [--dir ...] [--db ...]
          papergao files gc [--project main | --all] [--dry-run] [--grace-seconds=3600] [--dir ...] [--db ...]
          papergao import pocketbase <pb_data> [--project main] [--dir ...] [--db ...] [--dry-run] [--force] [--logs]
          papergao backup create [<name>.zip] | restore <name>.zip | list [--project main] [--dir ...] [--db ...]
          papergao typegen [--lang ts|cs] [--namespace My.Models] [--project main] [--dir ...] [--db ...]
          papergao functions deploy <folder> [--project main] [--dir ...] [--db ...]
          papergao health [--ready] [--http 127.0.0.1:8090]   (exit 0 when the server there answers /api/health; --ready: /api/health/ready)

        Every option may also come from a PAPERGAO_* environment variable (--db: PAPERGAO_DB) or the config file;
        the command line wins over the environment, which wins over the file. Without --db, projects live in SQLite files under --dir.
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        var parsed = ParsedArgs.Parse(args);
        if (parsed.Error is not null)
        {
            await Console.Error.WriteLineAsync(parsed.Error + Environment.NewLine + Usage);
            return 2;
        }
        switch (parsed.Command)
        {
            case "help" or "--help" or "-h":
                Console.WriteLine(Usage);
                return 0;
            case "superuser":
                return await SuperuserCommand.RunAsync(parsed);
            case "files":
                return await FilesCommand.RunAsync(parsed);
            case "import":
                return await ImportCommand.RunAsync(parsed);
            case "backup":
                return await BackupCommand.RunAsync(parsed);
            case "typegen":
                return await TypeGenCommand.RunAsync(parsed);
            case "functions":
                return await FunctionsCommand.RunAsync(parsed);
            case "config":
                return await ConfigCommand.RunAsync(parsed);
            case "health":
                return await HealthCommand.RunAsync(parsed);
            case "serve":
                await ServeCommand.RunAsync(parsed);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"Unknown command '{parsed.Command}'." + Environment.NewLine + Usage);
                return 2;
        }
    }
}
