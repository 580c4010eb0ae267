using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VSmenu.Data;

/// <summary>
/// Builds the EF model while the process starts, before it reports ready. Built lazily, the first request or readiness
/// probe pays for it: a worker replica whose first probe came during a PostgreSQL freeze, under the load of 64 clients,
/// was still building its model 2.5 s later and answered /health only after 5 s.
/// </summary>
internal sealed class ModelWarmup(IServiceScopeFactory scopes) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        using var scope = scopes.CreateScope();
        _ = scope.ServiceProvider.GetRequiredService<VsmenuDbContext>().Model;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
