using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Outbox;

/// <summary>
/// An event to broadcast, written in the same transaction as the change it reports, so that a committed change
/// always reaches Redis eventually (the worker's relay publishes pending rows in id order and stamps them).
/// </summary>
public sealed class OutboxMessage : ITenantOwned, ICreationStamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    /// <summary>The Pusher channel, e.g. <c>private-orders.42</c>.</summary>
    public required string Channel { get; set; }

    /// <summary>The event name as clients listen for it, e.g. <c>order.created</c>.</summary>
    public required string Event { get; set; }

    /// <summary>The event's JSON payload (<c>broadcastWith</c>).</summary>
    public required string Payload { get; set; }

    /// <summary>The socket that caused the change (<c>X-Socket-ID</c>), which should not receive it (<c>toOthers</c>).</summary>
    public string? SocketId { get; set; }

    /// <summary>
    /// W3C trace context of the code that made the change, so the relay's publish and the hub's delivery continue the
    /// request's trace.
    /// </summary>
    public string? TraceParent { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? PublishedAt { get; set; }
}
