using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
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
        try
        {
            var broadcast = JsonNode.Parse(message) as JsonObject;
            var channel = JsonText.Of(broadcast, "channel");
            var eventName = JsonText.Of(broadcast, "event");
            if (broadcast is null || channel is null || eventName is null)
            {
                LogMalformed(message.Length > 200 ? message[..200] : message);
                return;
            }

            if (NumberOf(broadcast, "id") is { } id && !_delivered.Add(id))
            {
                return;
            }

            using var span = StartDelivery(broadcast, channel, eventName);
            var sockets = hub.Deliver(channel, eventName, broadcast["data"], JsonText.Of(broadcast, "socket"), JsonText.Of(broadcast, "user_id"),
                fromClient: broadcast["client"] is JsonValue client && client.TryGetValue<bool>(out var isClient) && isClient,
                publishedAt: NumberOf(broadcast, "published_at"));
            span?.SetTag("vsmenu.realtime.sockets", sockets);
        }
        catch (JsonException)
        {
            LogMalformed(message.Length > 200 ? message[..200] : message);
        }
    }

    /// <summary>
    /// The delivery's span, in the trace of the change that caused the event (the relay's publish is its parent):
    /// <c>order.created deliver private-orders.12</c>, with the number of this replica's sockets it went to. An event
    /// that comes with no trace (a client event, presence) gets none; the hub's metrics count its deliveries.
    /// </summary>
    private static Activity? StartDelivery(JsonObject broadcast, string channel, string eventName)
    {
        if (!ActivityContext.TryParse(JsonText.Of(broadcast, "trace_parent"), traceState: null, isRemote: true, out var parent))
        {
            return null;
        }

        var span = Tracing.StartActivity($"{eventName} deliver {channel}", ActivityKind.Consumer, parent);
        span?.SetTag("messaging.operation.type", "process");
        span?.SetTag("messaging.destination.name", channel);
        span?.SetTag("messaging.message.id", NumberOf(broadcast, "id"));
        span?.SetTag(VsmenuTelemetry.TenantAttribute, NumberOf(broadcast, "tenant_id"));
        return span;
    }

    private static long? NumberOf(JsonObject broadcast, string name) =>
        broadcast[name] is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;

    [LoggerMessage(LogLevel.Warning, "A broadcast in Redis is not a Pusher event and was dropped: {Message}")]
    private partial void LogMalformed(string message);
}
