using VSmenu.Data.Users;

namespace VSmenu.Data.Orders;

public enum TransitionVerdict
{
    Allowed,

    /// <summary>The order's type and current status do not lead to the requested status (409).</summary>
    Illegal,

    /// <summary>The transition exists, but the caller's role may not make it (403).</summary>
    Forbidden,
}

/// <summary>
/// The order's life cycle: <c>pending → confirmed → preparing → ready</c>, then <c>served</c> (dine-in),
/// <c>out_for_delivery → delivered</c> (delivery) or <c>picked_up</c> (takeaway), then <c>completed</c>;
/// <c>cancelled</c> from pending, confirmed or preparing; the kitchen may recall a bump (back one step from preparing or
/// ready). Each step names the roles that may take it.
/// </summary>
public static class OrderWorkflow
{
    private static readonly Role[] FrontOfHouse = [Role.Owner, Role.Manager, Role.Waiter];
    private static readonly Role[] Kitchen = [Role.Owner, Role.Manager, Role.Kitchen];
    private static readonly Role[] Couriers = [Role.Owner, Role.Manager, Role.Delivery];
    private static readonly Role[] Management = [Role.Owner, Role.Manager];

    private sealed record Step(OrderStatus From, OrderStatus To, OrderType[] Types, Role[] Roles);

    private static readonly OrderType[] AllTypes = Enum.GetValues<OrderType>();

    private static readonly Step[] Steps =
    [
        new(OrderStatus.Pending, OrderStatus.Confirmed, AllTypes, FrontOfHouse),
        new(OrderStatus.Confirmed, OrderStatus.Preparing, AllTypes, Kitchen),
        new(OrderStatus.Preparing, OrderStatus.Ready, AllTypes, Kitchen),
        new(OrderStatus.Ready, OrderStatus.Served, [OrderType.DineIn], FrontOfHouse),
        new(OrderStatus.Ready, OrderStatus.PickedUp, [OrderType.Takeaway], FrontOfHouse),
        new(OrderStatus.Ready, OrderStatus.OutForDelivery, [OrderType.Delivery], Couriers),
        new(OrderStatus.OutForDelivery, OrderStatus.Delivered, [OrderType.Delivery], Couriers),
        new(OrderStatus.Served, OrderStatus.Completed, [OrderType.DineIn], FrontOfHouse),
        new(OrderStatus.PickedUp, OrderStatus.Completed, [OrderType.Takeaway], FrontOfHouse),
        new(OrderStatus.Delivered, OrderStatus.Completed, [OrderType.Delivery], Couriers),
        // A recall: the kitchen takes back a bump made too soon (the display offers it for 30 s).
        new(OrderStatus.Preparing, OrderStatus.Confirmed, AllTypes, Kitchen),
        new(OrderStatus.Ready, OrderStatus.Preparing, AllTypes, Kitchen),
        // A waiter may call off an order nobody has started on; later cancellations cost food and need a manager.
        new(OrderStatus.Pending, OrderStatus.Cancelled, AllTypes, FrontOfHouse),
        new(OrderStatus.Confirmed, OrderStatus.Cancelled, AllTypes, Management),
        new(OrderStatus.Preparing, OrderStatus.Cancelled, AllTypes, Management),
    ];

    public static TransitionVerdict Check(OrderType type, OrderStatus from, OrderStatus to, Role role)
    {
        var step = Steps.FirstOrDefault(step => step.From == from && step.To == to && step.Types.Contains(type));
        return step is null ? TransitionVerdict.Illegal
            : step.Roles.Contains(role) ? TransitionVerdict.Allowed
            : TransitionVerdict.Forbidden;
    }

    /// <summary>The statuses an order of <paramref name="type"/> can move to next, whoever asks.</summary>
    public static IEnumerable<OrderStatus> NextStatuses(OrderType type, OrderStatus from) =>
        Steps.Where(step => step.From == from && step.Types.Contains(type)).Select(step => step.To);
}
