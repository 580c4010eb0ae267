using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Every worker's share of keeping the queues moving: promotes delayed jobs when they come due (waking at the next due
/// time, at least every half second), takes back the jobs of workers whose heartbeat died, and records the queues' sizes.
/// </summary>
internal sealed partial class QueueMaintenance(
    ReservationStore store,
    JobQueue queue,
    IOptions<QueueWorkerOptions> options,
    TimeProvider time,
    ILogger<QueueMaintenance> logger) : BackgroundService
{
    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SizesInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RedisRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ShortestWait = TimeSpan.FromMilliseconds(10);
    private const int MaintenanceBatch = 200;

    private readonly QueueWorkerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var sizesDue = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = MaintenanceInterval;
            try
            {
                var (reclaimed, nextDue) = await store.MaintainAsync(MaintenanceBatch, _options.HeartbeatLife);
                if (reclaimed > 0)
                {
                    LogReclaimed(reclaimed);
                    QueueTelemetry.RecordReclaimed(reclaimed);
                }

                if (nextDue > 0)
                {
                    var untilDue = TimeSpan.FromMilliseconds(nextDue - time.GetUtcNow().ToUnixTimeMilliseconds());
                    wait = untilDue < ShortestWait ? ShortestWait : untilDue < wait ? untilDue : wait;
                }

                if (time.GetUtcNow() >= sizesDue)
                {
                    QueueTelemetry.RecordSizes(await queue.SizesAsync(_options.QueueList));
                    sizesDue = time.GetUtcNow() + SizesInterval;
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogMaintenanceFailed(exception);
                wait = RedisRetryDelay;
            }

            try
            {
                await Task.Delay(wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Queue maintenance failed; retrying")]
    private partial void LogMaintenanceFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Took back {Count} jobs of workers whose heartbeat died")]
    private partial void LogReclaimed(int count);
}
