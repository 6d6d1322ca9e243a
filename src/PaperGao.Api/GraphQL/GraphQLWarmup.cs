using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PaperGao.GraphQL.Schema;

namespace PaperGao.Api.GraphQL;

/// <summary>
/// Once the server has started, builds a throwaway GraphQL schema on a background thread (<see cref="SchemaWarmup"/>),
/// so that the first GraphQL request of a project does not pay for loading and compiling the schema code.
/// </summary>
public sealed class GraphQLWarmup(IHostApplicationLifetime lifetime, ILogger<GraphQLWarmup> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = Task.Run(() =>
        {
            try
            {
                SchemaWarmup.Run();
            }
            catch (Exception e)
            {
                // Only a head start is lost: the first real build compiles what it needs.
                log.LogWarning(e, "GraphQL schema warm-up failed");
            }
        }));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
