using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StackExchange.Redis;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// What joins the hub's replicas, through Redis: every event goes out on <c>vsmenu:broadcast:{channel}</c> (the outbox
/// relay's, the HTTP API's triggers, client events, presence) and comes back to every replica, which delivers it to
/// its own subscribers of the channel, in the order Redis delivers them and each outbox event once (by its
/// <c>id</c>); and so do requests to close a signed-in user's connections.
/// </summary>
public sealed partial class RedisBackplane(
    IConnectionMultiplexer redis,
    LocalChannels channels,
    HubConnections connections,
    HubMetrics metrics,
    TimeProvider clock,
    ILogger<RedisBackplane> logger) : BackgroundService
{
    /// <summary>Where replicas hear which users' connections to close.</summary>
    private static readonly RedisChannel TerminateUserChannel = RedisChannel.Literal("vsmenu:realtime:terminate-user");

    private static readonly ActivitySource Tracing = new(HubMetrics.MeterName);

    /// <summary>100 s of events at 1,000 a second: far longer than a repeat takes to come (the relay's 10 s resubscription window).</summary>
    private readonly RecentIds _delivered = new(100_000);

    /// <summary>Publishes an event to every replica's subscribers of <paramref name="channel"/>, except the socket named.</summary>
    public async Task PublishAsync(string channel, string eventName, JsonNode? data, string? exceptSocket, string? userId = null, bool fromClient = false)
    {
        var message = new BroadcastMessage
        {
            Event = eventName,
            Channel = channel,
            Data = data,
            Socket = exceptSocket,
            UserId = userId,
            Client = fromClient,
            PublishedAt = clock.GetUtcNow().ToUnixTimeMilliseconds(),
        };
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(BroadcastChannel.For(channel)), message.ToUtf8Json());
    }

    /// <summary>Asks every replica to close the connections signed in as <paramref name="userId"/>.</summary>
    public async Task TerminateUserEverywhereAsync(string userId) =>
        await redis.GetSubscriber().PublishAsync(TerminateUserChannel, userId);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var broadcasts = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern(BroadcastChannel.Pattern));
        broadcasts.OnMessage(message => Receive(message.Message.ToString()));
        var terminations = await redis.GetSubscriber().SubscribeAsync(TerminateUserChannel);
        terminations.OnMessage(message => connections.TerminateUser(message.Message.ToString()));
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

    private void Receive(string message)
    {
        BroadcastMessage broadcast;
        try
        {
            broadcast = BroadcastMessage.FromJson(message);
        }
        catch (JsonException)
        {
            LogMalformed(PusherFrames.Clip(message));
            return;
        }

        if (broadcast.Id is { } id && !_delivered.Add(id))
        {
            return;
        }

        using var span = StartDelivery(broadcast);
        var sockets = Deliver(broadcast);
        span?.SetTag("vsmenu.realtime.sockets", sockets);
    }

    /// <summary>Writes the event, encoded once, to this replica's subscribers of its channel; returns how many it went to.</summary>
    private int Deliver(BroadcastMessage broadcast)
    {
        metrics.Published.Add(1);
        if (broadcast.PublishedAt is { } published)
        {
            metrics.DeliveryLatency.Record(clock.GetUtcNow().ToUnixTimeMilliseconds() - published);
        }

        var frame = Encoding.UTF8.GetBytes(
            PusherFrames.ChannelEvent(broadcast.Event, broadcast.Channel, broadcast.Data, broadcast.UserId, relayDataAsIs: broadcast.Client));
        var delivered = 0;
        foreach (var member in channels.Members(broadcast.Channel))
        {
            if (member.SocketId != broadcast.Socket)
            {
                member.Send(frame);
                delivered++;
            }
        }

        metrics.Deliveries.Add(delivered);
        return delivered;
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
