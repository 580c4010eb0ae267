using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VSmenu.Data.Health;

/// <summary>
/// Unhealthy while migrations that this build knows are not applied, so a replica never serves requests
/// against a schema older than its code. Once the schema has been found current it stays so for the process (migrations
/// only move forward), so later probes cost the database nothing.
/// </summary>
/// <remarks>
/// EF reads the migrations history outside the execution strategy, and part of it synchronously: a replica whose first
/// probe met a frozen PostgreSQL had a thread blocked in a socket read inside <c>GetAppliedMigrationsAsync</c>, and its
/// /health held past 5 s. So the reading runs on a thread of its own, in a scope of its own, never given a token (a
/// cancelled Npgsql command blocks until the server answers); the probe stops waiting at its timeout, and the probes
/// that come while a reading is still out wait on that same reading instead of blocking one more thread each.
/// </remarks>
internal sealed class DatabaseSchemaHealthCheck(IServiceScopeFactory scopes) : IHealthCheck
{
    private static readonly Lock s_reading = new();
    private static Task<int>? s_pending;
    private static volatile bool s_current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (s_current)
        {
            return HealthCheckResult.Healthy();
        }

        var pending = await PendingMigrationsAsync().WaitAsync(cancellationToken);
        return pending == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied.");
    }

    private Task<int> PendingMigrationsAsync()
    {
        lock (s_reading)
        {
            if (s_pending is not { IsCompleted: false })
            {
                s_pending = Task.Run(CountPendingMigrationsAsync);
            }

            return s_pending;
        }
    }

    private async Task<int> CountPendingMigrationsAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VsmenuDbContext>();
        var pending = (await db.Database.GetPendingMigrationsAsync(CancellationToken.None)).Count();
        s_current = pending == 0;
        return pending;
    }
}
