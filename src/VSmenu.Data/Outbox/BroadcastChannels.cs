namespace VSmenu.Data.Outbox;

/// <summary>The tenant's Pusher channels, named as the realtime contract fixes them.</summary>
public static class BroadcastChannels
{
    public static string Orders(long tenantId) => $"private-orders.{tenantId}";

    public static string Tables(long tenantId) => $"private-tables.{tenantId}";

    public static string Kitchen(long tenantId) => $"private-kitchen.{tenantId}";

    /// <summary>Who of the restaurant's staff is connected now (a presence channel).</summary>
    public static string Restaurant(long tenantId) => $"presence-restaurant.{tenantId}";
}
