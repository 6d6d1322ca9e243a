using System.Text.Json.Nodes;
using PaperGao.Api;
using PaperGao.Core.Common;
using PaperGao.Core.Data;
using PaperGao.Core.Projects;
using PaperGao.Core.Records;

namespace PaperGao.Server.Cli;

/// <summary>papergao superuser upsert|delete: manages the superusers of the default project, through the record pipeline.</summary>
public static class SuperuserCommand
{
    public static async Task<int> RunAsync(ParsedArgs args)
    {
        var action = args.Positionals.ElementAtOrDefault(0);
        var email = args.Positionals.ElementAtOrDefault(1);
        if (action is not ("upsert" or "delete") || string.IsNullOrWhiteSpace(email) || (action == "upsert" && args.Positionals.Count < 3))
        {
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return 2;
        }
        await using var registry = new ProjectRegistry(PaperGaoApiExtensions.CreateProvider(new PaperGaoOptions { Dir = args.Dir, Db = args.Db }));
        await registry.InitializeAsync();
        var project = await registry.GetAsync(args.Project);
        if (project is null) { await Console.Error.WriteLineAsync($"No project '{args.Project}'."); return 1; }
        var c = project.Collections.FindByName(ProjectInitializer.SuperusersName)!;
        var asSuperuser = new RequestInfo { IsSuperuser = true, Context = "cli" };
        try
        {
            var existing = await FindAsync(project, c, email);
            if (action == "delete")
            {
                if (existing is null) { await Console.Error.WriteLineAsync($"No superuser {email}."); return 1; }
                await RecordWriter.DeleteAsync(project, c, existing.Id, asSuperuser);
                Console.WriteLine($"Deleted superuser {email}.");
                return 0;
            }
            var password = args.Positionals[2];
            var body = new JsonObject { ["email"] = email, ["password"] = password, ["passwordConfirm"] = password };
            if (existing is null) await RecordWriter.CreateAsync(project, c, body, asSuperuser);
            else await RecordWriter.UpdateAsync(project, c, existing.Id, body, asSuperuser);
            Console.WriteLine($"Superuser {email} {(existing is null ? "created" : "updated")}.");
            return 0;
        }
        catch (ApiError e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            foreach (var (field, err) in e.Details.Items)
                await Console.Error.WriteLineAsync($"  {field}: {(err is FieldError fe ? fe.Message : err.ToString())}");
            return 1;
        }
    }

    private static Task<Record?> FindAsync(Project project, Core.Collections.Collection c, string email) =>
        project.Database.ReadAsync(async conn =>
        {
            var p = new SqlParams();
            var d = project.Dialect;
            var sql = $"SELECT {RecordSql.SelectList(c, d)} FROM {d.Quote(c.Name)} AS t WHERE {d.EqualsNoCase($"t.{d.Quote("email")}", p.Add(email), nonEmpty: true)} LIMIT 1";
            await using var cmd = project.Database.Command(conn, null, sql, p);
            var list = await RecordSql.ReadAllAsync(c, cmd, CancellationToken.None);
            return list.Count > 0 ? list[0] : null;
        });
}
