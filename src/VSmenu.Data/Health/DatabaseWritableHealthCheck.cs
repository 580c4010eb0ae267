using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VSmenu.Data.Health;

/// <summary>
/// Unhealthy when the connection lands on a read-only standby (after a failover, or a misrouted connection
/// string): a connectivity ping would pass, yet every write would fail.
/// </summary>
internal sealed class DatabaseWritableHealthCheck(VsmenuDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var inRecovery = await db.Database
            .SqlQueryRaw<bool>("SELECT pg_is_in_recovery() AS \"Value\"")
            .SingleAsync(cancellationToken);

        return inRecovery
            ? HealthCheckResult.Unhealthy("Connected to a read-only standby.")
            : HealthCheckResult.Healthy();
    }
}
