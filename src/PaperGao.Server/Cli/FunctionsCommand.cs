using Microsoft.Extensions.Logging.Abstractions;
using PaperGao.Api;
using PaperGao.Core.Common;
using PaperGao.Core.Net;
using PaperGao.Core.Projects;
using PaperGao.Functions.Deploy;
using PaperGao.Functions.Engine;

namespace PaperGao.Server.Cli;

/// <summary>
/// papergao functions deploy &lt;folder&gt; --project X: checks that the folder's *.js files load, stores them as the
/// project's next functions version in its database; running servers pick it up within a second.
/// </summary>
public static class FunctionsCommand
{
    public static async Task<int> RunAsync(ParsedArgs args)
    {
        var folder = args.Positionals.ElementAtOrDefault(1);
        if (args.Positionals.ElementAtOrDefault(0) != "deploy" || string.IsNullOrWhiteSpace(folder))
        {
            await Console.Error.WriteLineAsync(CommandLine.Usage);
            return 2;
        }
        if (!Directory.Exists(folder)) { await Console.Error.WriteLineAsync($"No folder '{folder}'."); return 1; }
        await using var registry = new ProjectRegistry(PaperGaoApiExtensions.CreateProvider(new PaperGaoOptions { Dir = args.Dir, Db = args.Db }));
        await registry.InitializeAsync();
        var project = await registry.GetAsync(args.Project);
        if (project is null) { await Console.Error.WriteLineAsync($"No project '{args.Project}'."); return 1; }
        var limits = new FunctionLimits();
        try
        {
            var files = FunctionFolder.Read(Path.GetFullPath(folder), limits.MaxFileBytes);
            if (files.Count == 0) { await Console.Error.WriteLineAsync($"No .js files in '{folder}'."); return 1; }
            var context = new FunctionRuntimeContext(project, NullLogger.Instance, limits, () => OutboundHttp.Client, _ => null);
            FunctionsApi.Check(context, files);
            await FunctionStore.EnsureTablesAsync(project, CancellationToken.None);
            var version = await FunctionStore.SaveVersionAsync(project, files, "cli", "papergao functions deploy", CancellationToken.None);
            Console.WriteLine($"Deployed {files.Count} file(s) to project '{project.Name}' as version {version}.");
            return 0;
        }
        catch (FunctionLoadException e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
        catch (ApiError e)
        {
            await Console.Error.WriteLineAsync(e.Message);
            return 1;
        }
    }
}
