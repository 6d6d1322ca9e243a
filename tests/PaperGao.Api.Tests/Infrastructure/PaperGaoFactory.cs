using System.Reflection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PaperGao.Server;

namespace PaperGao.Api.Tests.Infrastructure;

/// <summary>
/// The real server (its <c>Program</c>) in process. Settings go in as command-line style configuration keys
/// (<c>--PaperGao:Dir=…</c>, <c>--PaperGao:Db=…</c>): WebApplicationFactory hands host settings to the entry
/// point as arguments.
/// </summary>
public sealed class PaperGaoFactory(PaperGaoHostSettings settings) : WebApplicationFactory<Program>, IPaperGaoHost
{
    private readonly PaperGaoHostSettings _settings = settings;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("PaperGao:Dir", _settings.Dir);
        if (_settings.Db is not null) builder.UseSetting("PaperGao:Db", _settings.Db);
        // The local OAuth2 and S3 test servers are reached as "localhost"; 127.0.0.1, ::1 and the rest stay refused
        // for outbound requests, so the SSRF tests see the guard as production does.
        builder.UseSetting("PaperGao:OutboundAllow", "localhost");
        // No local mail program unless a test brings one: a sendmail installed on the machine must not change results.
        builder.UseSetting("PaperGao:Sendmail", _settings.Sendmail ?? "off");
        if (_settings.RealtimeNotify is { } notify) builder.UseSetting("PaperGao:RealtimeNotify", notify);
        // Request logs of every test drown the failures; warnings and errors still show.
        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (_settings.Time is { } time) builder.ConfigureTestServices(services => services.AddSingleton(time));
    }

    /// <summary>Runs <c>papergao superuser upsert EMAIL PASS --dir DIR [--db CONN]</c> through the server's own entry point.</summary>
    public async Task UpsertSuperuserAsync(string email, string password, CancellationToken ct)
    {
        List<string> args = ["superuser", "upsert", email, password, "--dir", _settings.Dir];
        if (_settings.Db is not null) args.AddRange(["--db", _settings.Db]);

        var entryPoint = typeof(Program).Assembly.EntryPoint
            ?? throw new InvalidOperationException("the server assembly has no entry point");
        object? result;
        try
        {
            result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : [args.ToArray()]);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw new InvalidOperationException("superuser upsert threw: " + ex.InnerException.Message, ex.InnerException);
        }
        if (result is Task task)
        {
            await task.WaitAsync(ct);
            result = task.GetType().GetProperty("Result")?.GetValue(task);
        }
        if (result is int exitCode && exitCode != 0)
            throw new InvalidOperationException($"'papergao {string.Join(' ', args.Take(3))} …' exited with {exitCode}");
    }

    async ValueTask IAsyncDisposable.DisposeAsync() => await DisposeAsync();
}
