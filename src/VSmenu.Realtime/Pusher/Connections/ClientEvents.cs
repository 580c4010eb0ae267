using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Client events (whispers): allowed from a subscriber of a private or presence channel, within the name, payload and
/// rate limits, and relayed through Redis like every other event, so that subscribers on other replicas get them too,
/// never back to the sender, with the sender's user on presence channels.
/// </summary>
public sealed partial class ClientEvents(RedisBackplane backplane, IOptions<HubOptions> options, ILogger<ClientEvents> logger)
{
    private readonly HubOptions _options = options.Value;

    public async Task RelayAsync(PusherConnection connection, ClientEventMessage message)
    {
        if (RefusalOf(connection, message) is { } refusal)
        {
            connection.Send(PusherFrames.Error(PusherErrors.ClientEventRejected, refusal));
            return;
        }

        var channel = message.Channel!;
        try
        {
            await backplane.PublishAsync(channel, message.Event, message.Data, connection.SocketId, connection.Channels.GetValueOrDefault(channel)?.UserId, fromClient: true);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogClientEventLost(exception, channel);
            connection.Send(PusherFrames.Error(null, "The event could not be relayed; try again"));
        }
    }

    private string? RefusalOf(PusherConnection connection, ClientEventMessage message)
    {
        if (message.Channel is not { } channel || !connection.Channels.ContainsKey(channel))
        {
            return "Client events need a subscription to their channel";
        }

        if (ChannelName.KindOf(channel) is not (ChannelKind.Private or ChannelKind.Presence))
        {
            return "Client events are only allowed on private and presence channels";
        }

        if (message.Event.Length > _options.MaxEventNameLength)
        {
            return $"Event names are at most {_options.MaxEventNameLength} characters";
        }

        if (Encoding.UTF8.GetByteCount(message.Data?.ToJsonString() ?? "") > _options.MaxPayloadBytes)
        {
            return $"Event payloads are at most {_options.MaxPayloadBytes} bytes";
        }

        return connection.TryTakeClientEvent() ? null : $"Client event rejected due to rate limit ({_options.ClientEventsPerSecond} per second)";
    }

    [LoggerMessage(LogLevel.Warning, "A client event on {Channel} could not be published to Redis")]
    private partial void LogClientEventLost(Exception exception, string channel);
}
