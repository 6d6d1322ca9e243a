using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PaperGao.Api.Infrastructure;
using PaperGao.Functions.Engine;

namespace PaperGao.Functions;

/// <summary>services.AddPaperGaoFunctions(): the functions runtime (routes, hooks, cron, deploy API) in the server.</summary>
public static class FunctionsServices
{
    public static IServiceCollection AddPaperGaoFunctions(this IServiceCollection services, FunctionLimits? limits = null)
    {
        services.AddSingleton(limits ?? new FunctionLimits());
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FunctionsRuntime>();
        services.AddSingleton<IPaperGaoExtension>(sp => sp.GetRequiredService<FunctionsRuntime>());
        services.AddHostedService(sp => sp.GetRequiredService<FunctionsRuntime>());
        return services;
    }
}
