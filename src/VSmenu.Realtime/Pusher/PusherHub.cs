using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Broadcasting;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// The Pusher Channels protocol (version 7) for one replica: handshake, ping/pong, subscriptions with signed
/// authorizations, presence, and client events, which go through Redis like every other event so that the
/// subscribers on other replicas get them too.
/// </summary>
public sealed partial class PusherHub(
    LocalChannels channels,
    ChannelDirectory directory,
    IConnectionMultiplexer redis,
    IOptions<HubOptions> hubOptions,
    IOptions<PusherAppOptions> appOptions,
    TimeProvider clock,
    HubMetrics metrics,
    ConnectionAdmission admission,
    ILogger<PusherHub> logger)
{
    private static readonly string[] SupportedProtocols = ["5", "6", "7"];

    private readonly HubOptions _options = hubOptions.Value;
    private readonly PusherAppOptions _app = appOptions.Value;
    private readonly ConcurrentDictionary<string, PusherConnection> _connections = new(StringComparer.Ordinal);

    /// <summary>Open connections per client address; an address leaves when its last connection closes.</summary>
    private readonly ConcurrentDictionary<string, int> _connectionsByAddress = new(StringComparer.Ordinal);

    public ICollection<PusherConnection> Connections => _connections.Values;

    public async Task RunAsync(HttpContext context, string key)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var connection = new PusherConnection(
            PusherSocketId.Create(), socket, _options, clock, context.Features.Get<TransportActivity>(), context.RequestAborted);
        var writing = connection.WriteAsync(connection.Lifetime.Token);
        var protocol = context.Request.Query["protocol"].ToString();
        if (key != _app.Key)
        {
            connection.Close(PusherErrors.ApplicationDoesNotExist, "Application does not exist");
        }
        else if (protocol.Length > 0 && !SupportedProtocols.Contains(protocol))
        {
            connection.Close(PusherErrors.UnsupportedProtocol, "Unsupported protocol version");
        }
        else if (admission.Decide(_connections.Count) is { } refusal)
        {
            connection.Close(refusal.Code, refusal.Message);
        }
        else if (context.Connection.RemoteIpAddress?.ToString() is not { } address || !TryAdmitFrom(address))
        {
            connection.Close(PusherErrors.OverCapacity, "Over capacity: too many connections from one address");
        }
        else
        {
            try
            {
                await ServeAsync(connection, socket, connection.Lifetime.Token);
            }
            finally
            {
                ReleaseFrom(address);
            }
        }

        await writing;
        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }

    private bool TryAdmitFrom(string address)
    {
        var count = _connectionsByAddress.AddOrUpdate(address, 1, (_, current) => current + 1);
        if (_options.MaxConnectionsPerAddress <= 0 || count <= _options.MaxConnectionsPerAddress)
        {
            return true;
        }

        ReleaseFrom(address);
        return false;
    }

    private void ReleaseFrom(string address)
    {
        while (true)
        {
            var count = _connectionsByAddress[address];
            if (count == 1 ? _connectionsByAddress.TryRemove(KeyValuePair.Create(address, 1)) : _connectionsByAddress.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }

    private async Task ServeAsync(PusherConnection connection, WebSocket socket, CancellationToken cancellationToken)
    {
        _connections[connection.SocketId] = connection;
        metrics.Connections.Add(1);
        connection.Send(PusherFrames.ConnectionEstablished(connection.SocketId, _options.ActivityTimeout));
        try
        {
            while (await ReceiveAsync(socket, cancellationToken) is { } message)
            {
                connection.Heard();
                metrics.MessagesReceived.Add(1);
                if (message.TooLarge)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Maximum message size exceeded", CancellationToken.None);
                    break;
                }

                await HandleAsync(connection, message.Text);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client vanished without a close frame: clean up as for a close.
        }
        finally
        {
            foreach (var channel in connection.Channels.Keys)
            {
                await UnsubscribeAsync(connection, channel);
            }

            _connections.TryRemove(connection.SocketId, out _);
            metrics.Connections.Add(-1);
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits for the next message without a buffer (a zero-byte read: an idle socket, which most are, holds no receive
    /// buffer), then reads it into a pooled one: its text (null for a binary message), too large when it exceeds
    /// <see cref="HubOptions.MaxFrameBytes"/>, or null when the client closed.
    /// </summary>
    private async Task<ReceivedMessage?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var result = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxFrameBytes);
        try
        {
            var count = 0;
            while (!result.EndOfMessage)
            {
                if (count >= _options.MaxFrameBytes)
                {
                    return new ReceivedMessage(null, TooLarge: true);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(count, _options.MaxFrameBytes - count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                count += result.Count;
            }

            return new ReceivedMessage(result.MessageType == WebSocketMessageType.Binary ? null : Encoding.UTF8.GetString(buffer, 0, count), TooLarge: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct ReceivedMessage(string? Text, bool TooLarge);

    private async Task HandleAsync(PusherConnection connection, string? text)
    {
        JsonObject? envelope;
        try
        {
            envelope = text is null ? null : JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            envelope = null;
        }

        var eventName = JsonText.Of(envelope, "event");
        if (envelope is null || eventName is null)
        {
            connection.Send(PusherFrames.Error(null, "Invalid message format: expected a JSON object with an event"));
            return;
        }

        switch (eventName)
        {
            case "pusher:ping":
                connection.Send(PusherFrames.Pong());
                break;
            case "pusher:pong":
                break;
            case "pusher:signin":
                SignIn(connection, DataOf(envelope));
                break;
            case "pusher:subscribe":
                await SubscribeAsync(connection, DataOf(envelope));
                break;
            case "pusher:unsubscribe":
                if (JsonText.Of(DataOf(envelope), "channel") is { } channel)
                {
                    await UnsubscribeAsync(connection, channel);
                }

                break;
            case var client when client.StartsWith("client-", StringComparison.Ordinal):
                await RelayClientEventAsync(connection, client, envelope);
                break;
            default:
                connection.Send(PusherFrames.Error(null, $"Unsupported event {Truncate(eventName)}"));
                break;
        }
    }

    private async Task SubscribeAsync(PusherConnection connection, JsonObject? data)
    {
        var channel = JsonText.Of(data, "channel");
        if (channel is not null && channel.StartsWith(ChannelName.UserChannelPrefix, StringComparison.Ordinal))
        {
            JoinUserChannel(connection, channel);
            return;
        }

        if (channel is null || !ChannelName.IsValid(channel))
        {
            connection.Send(PusherFrames.SubscriptionError(Truncate(channel ?? ""), "InvalidChannel",
                $"Channel names are 1 to {ChannelName.MaxLength} characters of A-Z a-z 0-9 _ - = @ , . ;", PusherErrors.Unauthorized));
            return;
        }

        if (connection.Channels.ContainsKey(channel))
        {
            return;
        }

        if (connection.Channels.Count >= _options.MaxSubscriptionsPerConnection)
        {
            connection.Send(PusherFrames.SubscriptionError(channel, "LimitReached",
                $"A connection may be subscribed to at most {_options.MaxSubscriptionsPerConnection} channels", PusherErrors.OverCapacity));
            return;
        }

        var kind = ChannelName.KindOf(channel);
        var channelData = JsonText.Of(data, "channel_data");
        if (kind != ChannelKind.Public
            && !IsSigned(JsonText.Of(data, "auth"), PusherSignature.ChannelStringToSign(connection.SocketId, channel, kind == ChannelKind.Presence ? channelData : null)))
        {
            connection.Send(PusherFrames.SubscriptionError(channel, "AuthError", "Invalid signature: the channel authorization does not match", StatusCodes.Status401Unauthorized));
            return;
        }

        PresenceMember? member = null;
        var succeeded = "{}";
        if (kind == ChannelKind.Presence)
        {
            member = ReadMember(channelData);
            if (member is null)
            {
                connection.Send(PusherFrames.SubscriptionError(channel, "LimitReached",
                    $"channel_data needs a user_id of at most {_options.MaxPresenceUserIdLength} characters and user_info of at most {_options.MaxPresenceUserInfoBytes} bytes", PusherErrors.ClientEventRejected));
                return;
            }

            PresenceJoin join;
            try
            {
                join = await directory.JoinPresenceAsync(channel, member);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogPresenceUnavailable(exception, channel);
                connection.Send(PusherFrames.SubscriptionError(channel, "ServerError", "Presence is unavailable; retry shortly", StatusCodes.Status503ServiceUnavailable));
                return;
            }

            if (join.Refused)
            {
                connection.Send(PusherFrames.SubscriptionError(channel, "LimitReached", $"The channel has its maximum of {_options.MaxPresenceMembers} members", PusherErrors.OverCapacity));
                return;
            }

            succeeded = PresenceSnapshot(join.Members);
            if (join.FirstConnectionOfUser)
            {
                await PublishAsync(channel, "pusher_internal:member_added", new JsonObject { ["user_id"] = member.UserId, ["user_info"] = member.UserInfo?.DeepClone() }, connection.SocketId);
            }
        }

        connection.Channels[channel] = member;
        channels.Join(channel, connection);
        directory.CountSubscription(channel, +1);
        metrics.Subscriptions.Add(1);
        connection.Send(PusherFrames.SubscriptionSucceeded(channel, succeeded));
    }

    private async Task UnsubscribeAsync(PusherConnection connection, string channel)
    {
        if (!connection.Channels.TryRemove(channel, out var member))
        {
            return;
        }

        channels.Leave(channel, connection);
        directory.CountSubscription(channel, -1);
        metrics.Subscriptions.Add(-1);
        try
        {
            if (member is not null && await directory.LeavePresenceAsync(channel, member.UserId))
            {
                await AnnounceDepartureAsync(channel, member.UserId);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            // The member stays listed until this replica's lease lapses and another replica expires it.
            LogPresenceUnavailable(exception, channel);
        }
    }

    /// <summary>Tells every replica's subscribers that a user's last connection left the channel.</summary>
    public Task AnnounceDepartureAsync(string channel, string userId) =>
        PublishAsync(channel, "pusher_internal:member_removed", new JsonObject { ["user_id"] = userId }, exceptSocket: null);

    /// <summary>An <c>auth</c> of this app's key and the secret's signature of <paramref name="stringToSign"/>.</summary>
    private bool IsSigned(string? auth, string stringToSign)
    {
        var prefix = _app.Key + ":";
        return auth is not null
               && auth.StartsWith(prefix, StringComparison.Ordinal)
               && PusherSignature.Verify(_app.Secret, stringToSign, auth[prefix.Length..]);
    }

    /// <summary>
    /// User authentication: a signed <c>user_data</c> with a non-empty string <c>id</c> binds the connection to that
    /// user (once), for send-to-user and terminate; anything else is closed with 4009.
    /// </summary>
    private void SignIn(PusherConnection connection, JsonObject? data)
    {
        var userData = JsonText.Of(data, "user_data");
        var userId = userData is null ? null : JsonText.Of(ParseObject(userData), "id");
        if (userId is not { Length: > 0 } || !IsSigned(JsonText.Of(data, "auth"), PusherSignature.UserStringToSign(connection.SocketId, userData!))
            || (connection.UserId is not null && connection.UserId != userId))
        {
            connection.Close(PusherErrors.Unauthorized, "Sign-in refused: the signature does not match or user_data has no id");
            return;
        }

        connection.SignIn(userId);
        connection.Send(PusherFrames.SignedIn(userData!));
    }

    /// <summary>pusher-js joins its user's channel after signing in; nobody else may.</summary>
    private void JoinUserChannel(PusherConnection connection, string channel)
    {
        if (connection.UserId is null || channel != ChannelName.ForUser(connection.UserId))
        {
            connection.Send(PusherFrames.SubscriptionError(Truncate(channel), "AuthError", "Only the signed-in user joins their own channel", StatusCodes.Status401Unauthorized));
            return;
        }

        if (connection.Channels.TryAdd(channel, null))
        {
            channels.Join(channel, connection);
            directory.CountSubscription(channel, +1);
            metrics.Subscriptions.Add(1);
            connection.Send(PusherFrames.SubscriptionSucceeded(channel));
        }
    }

    /// <summary>Asks every replica, through Redis, to close the connections signed in as <paramref name="userId"/>.</summary>
    public async Task TerminateUserEverywhereAsync(string userId) =>
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(TerminateUserChannel), userId);

    /// <summary>Where replicas hear which users' connections to close.</summary>
    public const string TerminateUserChannel = "vsmenu:realtime:terminate-user";

    /// <summary>Closes this replica's connections of a signed-in user.</summary>
    public void TerminateUser(string userId)
    {
        foreach (var connection in _connections.Values.Where(connection => connection.UserId == userId))
        {
            connection.Close(PusherErrors.Unauthorized, "Connection terminated by the server");
        }
    }

    private PresenceMember? ReadMember(string? channelData)
    {
        try
        {
            var data = channelData is null ? null : JsonNode.Parse(channelData) as JsonObject;
            var userId = data?["user_id"] switch
            {
                JsonValue value when value.TryGetValue<string>(out var text) => text,
                JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            var userInfo = data?["user_info"];
            return userId is { Length: > 0 } && userId.Length <= _options.MaxPresenceUserIdLength
                   && Encoding.UTF8.GetByteCount(userInfo?.ToJsonString() ?? "") <= _options.MaxPresenceUserInfoBytes
                ? new PresenceMember(userId, userInfo)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string PresenceSnapshot(IReadOnlyList<PresenceMember> members)
    {
        var hash = new JsonObject();
        foreach (var member in members)
        {
            hash[member.UserId] = member.UserInfo?.DeepClone();
        }

        return new JsonObject
        {
            ["presence"] = new JsonObject
            {
                ["ids"] = new JsonArray(members.Select(member => (JsonNode?)JsonValue.Create(member.UserId)).ToArray()),
                ["hash"] = hash,
                ["count"] = members.Count,
            },
        }.ToJsonString();
    }

    private async Task RelayClientEventAsync(PusherConnection connection, string eventName, JsonObject envelope)
    {
        var channel = JsonText.Of(envelope, "channel");
        var data = envelope["data"];
        string? refusal = null;
        if (channel is null || !connection.Channels.TryGetValue(channel, out var member))
        {
            refusal = "Client events need a subscription to their channel";
            member = null;
        }
        else if (ChannelName.KindOf(channel) is not (ChannelKind.Private or ChannelKind.Presence))
        {
            refusal = "Client events are only allowed on private and presence channels";
        }
        else if (eventName.Length > _options.MaxEventNameLength)
        {
            refusal = $"Event names are at most {_options.MaxEventNameLength} characters";
        }
        else if (Encoding.UTF8.GetByteCount(data?.ToJsonString() ?? "") > _options.MaxPayloadBytes)
        {
            refusal = $"Event payloads are at most {_options.MaxPayloadBytes} bytes";
        }
        else if (!connection.TryTakeClientEvent())
        {
            refusal = $"Client event rejected due to rate limit ({_options.ClientEventsPerSecond} per second)";
        }

        if (refusal is not null)
        {
            connection.Send(PusherFrames.Error(PusherErrors.ClientEventRejected, refusal));
            return;
        }

        try
        {
            await PublishAsync(channel!, eventName, data?.DeepClone(), connection.SocketId, member?.UserId, fromClient: true);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogClientEventLost(exception, channel!);
            connection.Send(PusherFrames.Error(null, "The event could not be relayed; try again"));
        }
    }

    /// <summary>
    /// Publishes an event to every replica's subscribers of <paramref name="channel"/> through Redis, as the outbox relay
    /// does, except the socket named.
    /// </summary>
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

    /// <summary>Delivers a broadcast that arrived from Redis to this replica's subscribers of its channel; returns how many it went to.</summary>
    public int Deliver(BroadcastMessage broadcast)
    {
        metrics.Published.Add(1);
        if (broadcast.PublishedAt is { } published)
        {
            metrics.DeliveryLatency.Record(clock.GetUtcNow().ToUnixTimeMilliseconds() - published);
        }

        return SendToChannel(
            broadcast.Channel,
            PusherFrames.ChannelEvent(broadcast.Event, broadcast.Channel, broadcast.Data, broadcast.UserId, relayDataAsIs: broadcast.Client),
            broadcast.Socket);
    }

    private int SendToChannel(string channel, string frame, string? except)
    {
        var encoded = Encoding.UTF8.GetBytes(frame);
        var delivered = 0;
        foreach (var member in channels.Members(channel))
        {
            if (member.SocketId != except)
            {
                member.Send(encoded);
                delivered++;
            }
        }

        metrics.Deliveries.Add(delivered);
        return delivered;
    }

    private static JsonObject? DataOf(JsonObject envelope) => envelope["data"] switch
    {
        JsonObject data => data,
        JsonValue value when JsonText.Of(value) is { } text => ParseObject(text),
        _ => null,
    };

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string Truncate(string text) => text.Length <= 200 ? text : text[..200];

    [LoggerMessage(LogLevel.Warning, "Presence on {Channel} could not be read or written in Redis")]
    private partial void LogPresenceUnavailable(Exception exception, string channel);

    [LoggerMessage(LogLevel.Warning, "A client event on {Channel} could not be published to Redis")]
    private partial void LogClientEventLost(Exception exception, string channel);
}
