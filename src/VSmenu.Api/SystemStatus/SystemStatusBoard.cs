using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using VSmenu.Data;
using VSmenu.Data.Outbox;
using VSmenu.Redis;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.Api.SystemStatus;

public enum SystemState
{
    Ok,
    Maintenance,
    Degraded,
}

public sealed record MaintenanceNotice(string Message, DateTimeOffset? Until, DateTimeOffset SetAt);

/// <summary>
/// What every screen shows as the platform's banner: a dependency down outranks a maintenance notice. A screen keeps the
/// status checked last, whichever of the event and its own <c>GET</c> arrives first.
/// </summary>
public sealed record SystemStatusResource(SystemState State, MaintenanceNotice? Maintenance, IReadOnlyList<string> DependenciesDown, DateTimeOffset CheckedAt);

/// <summary>
/// The platform's status, announced as <c>system.status</c> on the public <c>system</c> channel: the operator's maintenance
/// notice (kept in Redis, shared by every replica) and the dependencies this replica's readiness checks find down. It
/// publishes to Redis straight, not through the outbox: the outbox is in PostgreSQL, which may be what is down. With Redis
/// down nothing can be announced; the pages also ask <c>GET /api/v1/system/status</c>, which answers from what it knows.
/// </summary>
public sealed partial class SystemStatusBoard(RedisCircuit circuit, TimeProvider clock, ILogger<SystemStatusBoard> logger)
{
    public const string StatusEvent = "system.status";
    private static readonly RedisKey MaintenanceKey = "vsmenu:system:maintenance";
    private static readonly TimeSpan RedisTimeout = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private IReadOnlyList<string> _down = [];
    private IReadOnlyList<string> _announced = [];

    public async Task<SystemStatusResource> CurrentAsync(CancellationToken cancellationToken)
    {
        MaintenanceNotice? maintenance = null;
        if (circuit.Available)
        {
            try
            {
                maintenance = await ReadMaintenanceAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is TimeoutException or RedisException)
            {
                // Redis down is a dependency down, which readiness reports; the notice is unknown until it is back.
            }
        }

        lock (_gate)
        {
            var state = _down.Count > 0 ? SystemState.Degraded : maintenance is null ? SystemState.Ok : SystemState.Maintenance;
            return new SystemStatusResource(state, maintenance, _down, clock.GetUtcNow());
        }
    }

    public async Task<SystemStatusResource> SetMaintenanceAsync(MaintenanceNotice notice, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.Serialize(notice, WireJson.Options);
        var expiry = notice.Until is { } until ? new Expiration(until.UtcDateTime) : Expiration.Default;
        await circuit.RunAsync(database => database.StringSetAsync(MaintenanceKey, json, expiry), RedisTimeout, cancellationToken);
        return await AnnounceAsync(cancellationToken);
    }

    public async Task<SystemStatusResource> ClearMaintenanceAsync(CancellationToken cancellationToken)
    {
        await circuit.RunAsync(database => database.KeyDeleteAsync(MaintenanceKey), RedisTimeout, cancellationToken);
        return await AnnounceAsync(cancellationToken);
    }

    /// <summary>Takes a readiness report; when the set of dependencies down changed since the last announcement, announces it.</summary>
    public async Task ReportAsync(HealthReport report, CancellationToken cancellationToken)
    {
        var down = DependenciesDown(report);
        lock (_gate)
        {
            _down = down;
            if (down.SequenceEqual(_announced))
            {
                return;
            }
        }

        try
        {
            await AnnounceAsync(cancellationToken);
            lock (_gate)
            {
                _announced = down;
            }
        }
        catch (Exception exception) when (exception is TimeoutException or RedisException)
        {
            LogAnnouncementFailed(exception, string.Join(", ", down));
        }
    }

    /// <summary>The failing checks' dependencies, by the name before the check's kind: <c>vsmenudb-writable</c> is <c>vsmenudb</c>.</summary>
    public static IReadOnlyList<string> DependenciesDown(HealthReport report) => report.Entries
        .Where(entry => entry.Value.Status == HealthStatus.Unhealthy)
        .Select(entry => entry.Key.Split('-')[0])
        .Distinct()
        .Order(StringComparer.Ordinal)
        .ToList();

    private async Task<MaintenanceNotice?> ReadMaintenanceAsync(CancellationToken cancellationToken)
    {
        var json = await circuit.RunAsync(database => database.StringGetAsync(MaintenanceKey), RedisTimeout, cancellationToken);
        return json.IsNullOrEmpty ? null : JsonSerializer.Deserialize<MaintenanceNotice>(json.ToString(), WireJson.Options);
    }

    private async Task<SystemStatusResource> AnnounceAsync(CancellationToken cancellationToken)
    {
        var status = await CurrentAsync(cancellationToken);
        var message = new BroadcastMessage
        {
            Event = StatusEvent,
            Channel = BroadcastChannels.System,
            Data = JsonSerializer.SerializeToNode(new { status }, WireJson.Options),
            PublishedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await circuit.RunAsync(
            database => database.PublishAsync(RedisChannel.Literal(BroadcastChannel.For(BroadcastChannels.System)), message.ToUtf8Json()), RedisTimeout, cancellationToken);
        return status;
    }

    [LoggerMessage(LogLevel.Warning, "Could not announce the dependencies down ({Down}) on the system channel; the next readiness report tries again")]
    private partial void LogAnnouncementFailed(Exception exception, string down);
}
