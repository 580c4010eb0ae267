using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VSmenu.Data.Health;

/// <summary>
/// Unhealthy while migrations that this build knows are not applied, so a replica never serves requests
/// against a schema older than its code. Once the schema has been found current it stays so for the process (migrations
/// only move forward), so later probes cost the database nothing.
/// </summary>
internal sealed class DatabaseSchemaHealthCheck(VsmenuDbContext db) : IHealthCheck
{
    private static volatile bool s_current;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (s_current)
        {
            return HealthCheckResult.Healthy();
        }

        // EF reads the migrations history outside the execution strategy: given the token, a timed-out check would make
        // Npgsql cancel the command, which blocks until a hung server answers. So the check stops waiting instead.
        var pending = (await db.Database.GetPendingMigrationsAsync(CancellationToken.None).WaitAsync(cancellationToken)).Count();
        s_current = pending == 0;

        return pending == 0
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"{pending} migration(s) not applied.");
    }
}
