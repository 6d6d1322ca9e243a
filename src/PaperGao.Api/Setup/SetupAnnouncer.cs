using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperGao.Core.Projects;

namespace PaperGao.Api.Setup;

/// <summary>
/// At start-up, when the default project has no superuser yet, issues the setup token and, once the server listens,
/// prints the one-time link to the dashboard's setup screen: http://127.0.0.1:8090/_/#/setup/&lt;token&gt;.
/// </summary>
public sealed class SetupAnnouncer(ProjectRegistry registry, FirstRunSetup setup, IServer server, IHostApplicationLifetime lifetime, ILogger<SetupAnnouncer> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var project = await registry.InitializeAsync(cancellationToken);
        if (await FirstRunSetup.HasSuperuserAsync(project, cancellationToken)) return;
        var token = setup.Issue();
        lifetime.ApplicationStarted.Register(() =>
        {
            var link = BaseUrl() + "/_/#/setup/" + token;
            log.LogInformation("No superuser yet. Create the first one within {Minutes} minutes at this one-time link: {Link}", (int)FirstRunSetup.Lifetime.TotalMinutes, link);
        });
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The first address the server listens on, with a wildcard host shown as 127.0.0.1.</summary>
    private string BaseUrl()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (string.IsNullOrEmpty(address) || !Uri.TryCreate(address.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            return "http://127.0.0.1:8090";
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host)}:{uri.Port}";
    }
}
