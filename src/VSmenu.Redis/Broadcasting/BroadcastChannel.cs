namespace VSmenu.Redis.Broadcasting;

/// <summary>
/// Where broadcast events travel in Redis pub/sub: one Redis channel per Pusher channel, under a prefix so the
/// realtime hub can pattern-subscribe to all of them and nothing else.
/// </summary>
public static class BroadcastChannel
{
    public const string Prefix = "vsmenu:broadcast:";

    /// <summary>The pattern the hub subscribes to.</summary>
    public const string Pattern = Prefix + "*";

    public static string For(string pusherChannel) => Prefix + pusherChannel;

    public static string PusherChannelOf(string redisChannel) =>
        redisChannel.StartsWith(Prefix, StringComparison.Ordinal) ? redisChannel[Prefix.Length..] : redisChannel;
}
