using System.Text;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Who is subscribed to what: a connection joins a channel once it is authorized and within limits, counted here (for
/// delivery) and in Redis (for the HTTP API's counts); a presence member is listed across replicas, and its arrival and
/// its user's last departure are announced to every replica's subscribers.
/// </summary>
public sealed partial class ChannelSubscriptions(
    LocalChannels channels,
    ChannelDirectory directory,
    RedisBackplane backplane,
    ClientAuthorization authorization,
    IOptions<HubOptions> options,
    HubMetrics metrics,
    ILogger<ChannelSubscriptions> logger)
{
    private readonly HubOptions _options = options.Value;

    public async Task SubscribeAsync(PusherConnection connection, SubscribeMessage subscribe)
    {
        var channel = subscribe.Channel;
        if (channel is not null && channel.StartsWith(ChannelName.UserChannelPrefix, StringComparison.Ordinal))
        {
            JoinUserChannel(connection, channel);
            return;
        }

        if (channel is null || !ChannelName.IsValid(channel))
        {
            connection.Send(PusherFrames.SubscriptionError(PusherFrames.Clip(channel ?? ""), "InvalidChannel",
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

        if (!authorization.MaySubscribe(connection.SocketId, channel, subscribe))
        {
            connection.Send(PusherFrames.SubscriptionError(channel, "AuthError", "Invalid signature: the channel authorization does not match", StatusCodes.Status401Unauthorized));
            return;
        }

        if (ChannelName.KindOf(channel) == ChannelKind.Presence)
        {
            await JoinPresenceAsync(connection, channel, subscribe.ChannelData);
            return;
        }

        Join(connection, channel, member: null);
        connection.Send(PusherFrames.SubscriptionSucceeded(channel));
    }

    private async Task JoinPresenceAsync(PusherConnection connection, string channel, string? channelData)
    {
        if (MemberWithinLimits(channelData) is not { } member)
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

        if (join.FirstConnectionOfUser)
        {
            await backplane.PublishAsync(channel, "pusher_internal:member_added", PusherFrames.MemberAdded(member), connection.SocketId);
        }

        Join(connection, channel, member);
        connection.Send(PusherFrames.PresenceSubscriptionSucceeded(channel, join.Members));
    }

    private PresenceMember? MemberWithinLimits(string? channelData) =>
        PusherProtocol.MemberOf(channelData) is { } member
        && member.UserId.Length <= _options.MaxPresenceUserIdLength
        && Encoding.UTF8.GetByteCount(member.UserInfo?.ToJsonString() ?? "") <= _options.MaxPresenceUserInfoBytes
            ? member
            : null;

    /// <summary>pusher-js joins its user's channel after signing in; nobody else may.</summary>
    private void JoinUserChannel(PusherConnection connection, string channel)
    {
        if (connection.UserId is null || channel != ChannelName.ForUser(connection.UserId))
        {
            connection.Send(PusherFrames.SubscriptionError(PusherFrames.Clip(channel), "AuthError", "Only the signed-in user joins their own channel", StatusCodes.Status401Unauthorized));
            return;
        }

        if (Join(connection, channel, member: null))
        {
            connection.Send(PusherFrames.SubscriptionSucceeded(channel));
        }
    }

    private bool Join(PusherConnection connection, string channel, PresenceMember? member)
    {
        if (!connection.Channels.TryAdd(channel, member))
        {
            return false;
        }

        channels.Join(channel, connection);
        directory.CountSubscription(channel, +1);
        metrics.Subscriptions.Add(1);
        return true;
    }

    public async Task UnsubscribeAsync(PusherConnection connection, string channel)
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

    /// <summary>Leaves every channel of a connection that closed.</summary>
    public async Task UnsubscribeAllAsync(PusherConnection connection)
    {
        foreach (var channel in connection.Channels.Keys)
        {
            await UnsubscribeAsync(connection, channel);
        }
    }

    /// <summary>Tells every replica's subscribers that a user's last connection left the channel.</summary>
    public Task AnnounceDepartureAsync(string channel, string userId) =>
        backplane.PublishAsync(channel, "pusher_internal:member_removed", PusherFrames.MemberRemoved(userId), exceptSocket: null);

    [LoggerMessage(LogLevel.Warning, "Presence on {Channel} could not be read or written in Redis")]
    private partial void LogPresenceUnavailable(Exception exception, string channel);
}
