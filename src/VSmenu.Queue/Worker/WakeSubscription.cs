using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Wakes idle slots the moment a job is pushed: a pub/sub message on the queue's wake channel sets the
/// <see cref="WakeSignal"/>. Until the subscription succeeds (Redis down at start), idle slots poll every
/// <see cref="QueueWorkerOptions.Sleep"/> and it is retried every second.
/// </summary>
internal sealed partial class WakeSubscription(IConnectionMultiplexer redis, JobQueue queue, WakeSignal wake, TimeProvider time, ILogger<WakeSubscription> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private bool _subscribed;

    /// <summary>Subscribes before the slots start, so that a job pushed as they do wakes them.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        _subscribed = await TrySubscribeAsync();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!_subscribed)
            {
                await Task.Delay(RetryDelay, time, stoppingToken);
                _subscribed = await TrySubscribeAsync();
            }

            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            if (_subscribed)
            {
                await redis.GetSubscriber().UnsubscribeAsync(queue.Keys.Wake);
            }
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(queue.Keys.Wake, (_, _) => wake.Set());
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogSubscribeFailed(exception);
            return false;
        }
    }

    [LoggerMessage(LogLevel.Warning, "Subscribing to queue wake-ups failed; idle slots poll until it succeeds")]
    private partial void LogSubscribeFailed(Exception exception);
}
