using System.Diagnostics;
using System.Text.Json;
using StackExchange.Redis;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Receives every broadcast published under <c>vsmenu:broadcast:*</c> (the outbox relay's events, other replicas'
/// client events) and hands it to the hub, in the order Redis delivers them, each outbox event once (by its <c>id</c>); and the
/// users whose connections to close.
/// </summary>
public sealed partial class RedisBroadcasts(IConnectionMultiplexer redis, PusherHub hub, ILogger<RedisBroadcasts> logger) : BackgroundService
{
    /// <summary>100 s of events at 1,000 a second: far longer than a repeat takes to come (the relay's 10 s resubscription window).</summary>
    private readonly RecentIds _delivered = new(100_000);

    private static readonly ActivitySource Tracing = new(HubMetrics.MeterName);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var broadcasts = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(BroadcastChannel.Pattern));
        broadcasts.OnMessage(message => Deliver(message.Message.ToString()));
        var terminations = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(PusherHub.TerminateUserChannel));
        terminations.OnMessage(message => hub.TerminateUser(message.Message.ToString()));
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken);
        }
        catch (OperationCanceledException)
        {
            await broadcasts.UnsubscribeAsync();
            await terminations.UnsubscribeAsync();
        }
    }

    private void Deliver(string message)
    {
        BroadcastMessage broadcast;
        try
        {
            broadcast = BroadcastMessage.FromJson(message);
        }
        catch (JsonException)
        {
            LogMalformed(message.Length > 200 ? message[..200] : message);
            return;
        }

        if (broadcast.Id is { } id && !_delivered.Add(id))
        {
            return;
        }

        using var span = StartDelivery(broadcast);
        var sockets = hub.Deliver(broadcast);
        span?.SetTag("vsmenu.realtime.sockets", sockets);
    }

    /// <summary>
    /// The delivery's span, in the trace of the change that caused the event (the relay's publish is its parent):
    /// <c>order.created deliver private-orders.12</c>, with the number of this replica's sockets it went to. An event
    /// that comes with no trace (a client event, presence) gets none; the hub's metrics count its deliveries.
    /// </summary>
    private static Activity? StartDelivery(BroadcastMessage broadcast)
    {
        if (!ActivityContext.TryParse(broadcast.TraceParent, traceState: null, isRemote: true, out var parent))
        {
            return null;
        }

        var span = Tracing.StartActivity($"{broadcast.Event} deliver {broadcast.Channel}", ActivityKind.Consumer, parent);
        span?.SetTag("messaging.operation.type", "process");
        span?.SetTag("messaging.destination.name", broadcast.Channel);
        span?.SetTag("messaging.message.id", broadcast.Id);
        span?.SetTag(VsmenuTelemetry.TenantAttribute, broadcast.TenantId);
        return span;
    }

    [LoggerMessage(LogLevel.Warning, "A broadcast in Redis is not a Pusher event and was dropped: {Message}")]
    private partial void LogMalformed(string message);
}
