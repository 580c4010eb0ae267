namespace VSmenu.Data.Outbox;

/// <summary>The tenant's Pusher channels, named as the realtime contract fixes them.</summary>
public static class BroadcastChannels
{
    /// <summary>The platform's public channel, every restaurant's screens on it: maintenance notices, dependencies down.</summary>
    public const string System = "system";

    public static string Orders(long tenantId) => $"private-orders.{tenantId}";

    public static string Tables(long tenantId) => $"private-tables.{tenantId}";

    public static string Kitchen(long tenantId) => $"private-kitchen.{tenantId}";

    public const string SyncPrefix = "private-sync.";

    /// <summary>Where POS terminals hear that the restaurant's synced records changed (<c>sync.changed</c>).</summary>
    public static string Sync(long tenantId) => $"{SyncPrefix}{tenantId}";

    /// <summary>Who of the restaurant's staff is connected now (a presence channel).</summary>
    public static string Restaurant(long tenantId) => $"presence-restaurant.{tenantId}";
}
