namespace PaperGao.Server.Cli;

/// <summary>Command, positional arguments and the --http/--dir/--db options.</summary>
public sealed record ParsedArgs(string Command, IReadOnlyList<string> Positionals, string Http, string Dir, string? Db, string Project, IReadOnlyList<string> Passthrough, string? Error)
{
    public static ParsedArgs Parse(string[] args)
    {
        var command = "serve";
        var positionals = new List<string>();
        var passthrough = new List<string>();
        string http = "127.0.0.1:8090", dir = "papergao_data", project = "main";
        var db = Environment.GetEnvironmentVariable("PAPERGAO_DB");
        string? error = null;
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith('-')) { command = args[0]; i = 1; }
        else if (args.Length > 0 && args[0] is "--help" or "-h") { command = "help"; i = 1; }
        for (; i < args.Length; i++)
        {
            var a = args[i];
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            var eq = a.IndexOf('=', StringComparison.Ordinal);
            var (key, inline) = a.StartsWith("--", StringComparison.Ordinal) && eq > 0 ? (a[..eq], a[(eq + 1)..]) : (a, null);
            switch (key)
            {
                case "--http": http = inline ?? Next() ?? ""; break;
                case "--dir": dir = inline ?? Next() ?? ""; break;
                case "--db": db = inline ?? Next(); break;
                case "--project": project = inline ?? Next() ?? ""; break;
                case "--help" or "-h": command = "help"; break;
                default:
                    if (a.StartsWith("--", StringComparison.Ordinal)) passthrough.Add(a); // host/config switches (e.g. from test hosts)
                    else positionals.Add(a);
                    break;
            }
        }
        if (http.Length == 0) error = "--http needs an address like 127.0.0.1:8090.";
        if (dir.Length == 0) error = "--dir needs a folder.";
        if (command == "serve" && positionals.Count > 0) error = $"Unexpected argument '{positionals[0]}'.";
        return new ParsedArgs(command, positionals, http, dir, string.IsNullOrWhiteSpace(db) ? null : db, project, passthrough, error);
    }
}
