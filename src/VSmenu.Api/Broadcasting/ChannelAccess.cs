using VSmenu.Data.Outbox;
using VSmenu.Data.Users;

namespace VSmenu.Api.Broadcasting;

/// <summary>
/// Who may listen on which channel, as the spec's <c>routes/channels.php</c>: a restaurant's orders, tables, sync and
/// presence channels for its staff, its kitchen channel for the kitchen and those who run the restaurant; nothing
/// of another restaurant, and no other channel.
/// </summary>
public static class ChannelAccess
{
    public static bool MayJoin(string channel, long tenantId, Role role) =>
        channel == BroadcastChannels.Orders(tenantId)
        || channel == BroadcastChannels.Tables(tenantId)
        || channel == BroadcastChannels.Restaurant(tenantId)
        || channel == BroadcastChannels.Sync(tenantId)
        || (channel == BroadcastChannels.Kitchen(tenantId) && role is Role.Kitchen or Role.Owner or Role.Manager);
}
