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

            if (broadcast["id"] is JsonValue outboxId && outboxId.TryGetValue<long>(out var id) && !_delivered.Add(id))
            {
                return;
            }

            hub.Deliver(channel, eventName, broadcast["data"], JsonText.Of(broadcast, "socket"), JsonText.Of(broadcast, "user_id"),
                fromClient: broadcast["client"] is JsonValue client && client.TryGetValue<bool>(out var isClient) && isClient,
                publishedAt: broadcast["published_at"] is JsonValue published && published.TryGetValue<long>(out var at) ? at : null);
        }
        catch (JsonException)
        {
            LogMalformed(message.Length > 200 ? message[..200] : message);
        }
    }

    [LoggerMessage(LogLevel.Warning, "A broadcast in Redis is not a Pusher event and was dropped: {Message}")]
    private partial void LogMalformed(string message);
}
