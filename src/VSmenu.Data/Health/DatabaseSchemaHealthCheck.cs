using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VSmenu.Data.Health;

/// <summary>
/// Unhealthy while migrations that this build knows are not applied, so a replica never serves requests
/// against a schema older than its code.
/// </summary>
internal sealed class DatabaseSchemaHealthCheck(VsmenuDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).Count();

        return pending == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied.");
    }
}
