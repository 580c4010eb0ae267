using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace VSmenu.Redis;

/// <summary>
/// Writes this process's heartbeat key (<c>vsmenu:health:{application}</c>, 60 s TTL). A PING still answers on a
/// replica promoted the wrong way or a server out of memory; a write does not, and queues, rate limits and
/// idempotency keys all need writes.
/// </summary>
internal sealed class RedisWritableHealthCheck(IConnectionMultiplexer redis, IHostEnvironment environment) : IHealthCheck
{
    private static readonly TimeSpan HeartbeatLifetime = TimeSpan.FromSeconds(60);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var written = await redis.GetDatabase().StringSetAsync(
            $"vsmenu:health:{environment.ApplicationName}",
            DateTimeOffset.UtcNow.ToString("O"),
            HeartbeatLifetime);

        return written
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("Redis refused the heartbeat write.");
    }
}
