using VSmenu.Data.Orders;

namespace VSmenu.Data.Tables;

/// <summary>
/// A table follows its dine-in orders: occupied when one opens on it (whatever it was: guests sat down), free when the
/// last one still open completes or is cancelled. Reserved and cleaning are the staff's to set and stay as they are
/// otherwise.
/// </summary>
public static class TableOccupancy
{
    /// <summary>An order that still holds its table: anything but completed or cancelled.</summary>
    public static bool Holds(OrderStatus status) => status is not (OrderStatus.Completed or OrderStatus.Cancelled);

    /// <summary>The table's status once a dine-in order opened on it; null when it does not change.</summary>
    public static TableStatus? WhenOrderOpens(TableStatus current) => current == TableStatus.Occupied ? null : TableStatus.Occupied;

    /// <summary>The table's status once one of its orders closed; null when it does not change.</summary>
    public static TableStatus? WhenOrderCloses(TableStatus current, bool otherOrdersHoldIt) =>
        current == TableStatus.Occupied && !otherOrdersHoldIt ? TableStatus.Available : null;
}
