using VSmenu.Data.Orders;
using VSmenu.Data.Outbox;

namespace VSmenu.Api.Orders;

/// <summary>
/// The order events of the spec, on the tenant's orders channel and the kitchen's. Every one carries the spec's
/// <c>broadcastWith</c> summary (<c>{order: {id, customer_name, total, status, created_at}}</c>) and what a board
/// needs to move a card without a refetch.
/// </summary>
public static class OrderEvents
{
    public const string Created = "order.created";
    public const string StatusChanged = "order.status.changed";
    public const string Cancelled = "order.cancelled";

    /// <summary>
    /// The order in an event. Items and table come with it when the change had them loaded (a status change does), so a
    /// kitchen display can show the ticket without fetching the order; they are null otherwise.
    /// </summary>
    public sealed record OrderSummary(
        long Id, OrderType Type, string? CustomerName, decimal Total, OrderStatus Status, OrderStatus? PreviousStatus,
        string? CancellationReason, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, long? TableId,
        TableSummary? Table, IReadOnlyList<OrderItemResource>? Items);

    public static BroadcastEvent OrderCreated(Order order, string? customerName) => Describe(Created, order, customerName, previous: null);

    /// <summary>A cancellation is its own event (<c>order.cancelled</c>); every other move is <c>order.status.changed</c>.</summary>
    public static BroadcastEvent StatusChange(Order order, string? customerName, OrderStatus previous) =>
        Describe(order.Status is OrderStatus.Cancelled ? Cancelled : StatusChanged, order, customerName, previous);

    private static BroadcastEvent Describe(string name, Order order, string? customerName, OrderStatus? previous) => new(
        order.TenantId,
        name,
        [BroadcastChannels.Orders(order.TenantId), BroadcastChannels.Kitchen(order.TenantId)],
        new
        {
            Order = new OrderSummary(
                order.Id, order.Type, customerName, order.Total, order.Status, previous, order.CancellationReason, order.CreatedAt, order.UpdatedAt,
                order.TableId,
                order.Table is { } table ? new TableSummary(table.Id, table.Number) : null,
                order.Items.Count > 0 ? order.Items.OrderBy(item => item.Id).Select(OrderItemResource.From).ToList() : null),
        });
}
