namespace PaperGao.Bench.Baseline;

/// <summary>Command line: <c>--http HOST:PORT (--sqlite FILE | --pg CONNSTRING [--pg-schema NAME]) [--table NAME]</c>.</summary>
public sealed record BaselineOptions(string Http, string? SqliteFile, string? PgConnection, string? PgSchema, string Table)
{
    public static BaselineOptions Parse(string[] args)
    {
        string http = "127.0.0.1:8091";
        string? sqlite = null, pg = null, pgSchema = null;
        string table = "posts";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"missing value after {args[i]}");
            switch (args[i])
            {
                case "--http": http = value; break;
                case "--sqlite": sqlite = value; break;
                case "--pg": pg = value; break;
                case "--pg-schema": pgSchema = value; break;
                case "--table": table = value; break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
            i++;
        }
        if ((sqlite is null) == (pg is null))
        {
            throw new ArgumentException("give exactly one of --sqlite FILE or --pg CONNSTRING");
        }
        if (!IsIdentifier(table) || (pgSchema is not null && !IsIdentifier(pgSchema)))
        {
            throw new ArgumentException("table and schema names must match ^\\w+$");
        }
        return new BaselineOptions(http, sqlite, pg, pgSchema, table);
    }

    private static bool IsIdentifier(string s) => s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
