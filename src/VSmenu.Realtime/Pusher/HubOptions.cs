namespace VSmenu.Realtime.Pusher;

/// <summary>The hub's limits and timers (configuration section <c>Realtime</c>), with Pusher's documented values.</summary>
public sealed class HubOptions
{
    public const string SectionName = "Realtime";

    /// <summary>Idle time after which the hub pings a client; announced to clients as <c>activity_timeout</c>.</summary>
    public TimeSpan ActivityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a pinged client has to answer before it is closed with 4201.</summary>
    public TimeSpan PongTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Largest event payload (client events), as Pusher's 10 KB.</summary>
    public int MaxPayloadBytes { get; set; } = 10 * 1024;

    /// <summary>Largest WebSocket message read; larger ones close the connection with 1009.</summary>
    public int MaxFrameBytes { get; set; } = 16 * 1024;

    public int MaxEventNameLength { get; set; } = 200;

    public int MaxPresenceMembers { get; set; } = 100;

    public int MaxPresenceUserInfoBytes { get; set; } = 1024;

    public int MaxPresenceUserIdLength { get; set; } = 128;

    public int ClientEventsPerSecond { get; set; } = 10;

    /// <summary>
    /// Channels one connection may be subscribed to at once: a kitchen screen or a floor board needs a handful, and each
    /// subscription costs this replica a list entry and Redis a counter, so one socket must not subscribe to thousands.
    /// </summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 100;

    /// <summary>How long a replica's counts in Redis outlive its last heartbeat; renewed every third of it.</summary>
    public TimeSpan ReplicaLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Connections this replica takes before it refuses new ones with 4100 (over capacity); 0 for no limit.</summary>
    public int MaxConnections { get; set; }

    /// <summary>
    /// Connections this replica takes from one client address before it refuses more with 4100 (clients back off and
    /// retry); 0 for no limit. A restaurant's tablets behind one router need tens; one host must not hold thousands.
    /// The address is the peer's, or what a proxy the deployment names put in <c>X-Forwarded-For</c>.
    /// </summary>
    public int MaxConnectionsPerAddress { get; set; } = 500;

    /// <summary>Frames queued for a client that reads too slowly before the hub gives up on it.</summary>
    public int MaxQueuedFrames { get; set; } = 1024;
}
