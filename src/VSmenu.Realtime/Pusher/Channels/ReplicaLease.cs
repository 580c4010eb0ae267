using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Keeps this replica's lease in Redis alive (first before any client connects), and expires the replicas whose lease
/// lapsed: their presence members leave, announced once, as if their connections had closed.
/// </summary>
public sealed partial class ReplicaLease(
    ChannelDirectory directory, HubConnections connections, ChannelSubscriptions subscriptions, ConnectionAdmission admission, IOptions<HubOptions> options, TimeProvider clock, ILogger<ReplicaLease> logger)
    : BackgroundService
{
    /// <summary>
    /// Takes the lease before the hub accepts clients; with Redis unreachable the hub still starts (presence then refuses
    /// joins with a subscription error) and the lease is taken at the next renewal.
    /// </summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await RunAsync(RenewAsync);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ReplicaLease / 3, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await RunAsync(RenewAsync);
        }
    }

    private async Task RenewAsync() => admission.Update(await directory.RenewLeaseAsync(connections.Count));

    /// <summary>Resigns on the way out, so members still listed here leave at once rather than when the lease lapses.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await RunAsync(directory.ResignAsync);
    }

    private async Task RunAsync(Func<Task> updateLease)
    {
        try
        {
            await updateLease();
            foreach (var (channel, userId) in await directory.ExpireLapsedReplicasAsync())
            {
                await subscriptions.AnnounceDepartureAsync(channel, userId);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogRenewalFailed(exception);
        }
    }

    [LoggerMessage(LogLevel.Warning, "The replica lease could not be renewed in Redis; retrying")]
    private partial void LogRenewalFailed(Exception exception);
}
