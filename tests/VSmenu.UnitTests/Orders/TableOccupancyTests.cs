using VSmenu.Data.Orders;
using VSmenu.Data.Tables;

namespace VSmenu.UnitTests.Orders;

/// <summary>A table follows its dine-in orders: occupied when one opens, free when the last one still open closes.</summary>
public sealed class TableOccupancyTests
{
    [Theory]
    [InlineData(TableStatus.Available)]
    [InlineData(TableStatus.Reserved)]
    [InlineData(TableStatus.Cleaning)]
    public void An_order_opening_on_a_table_occupies_it(TableStatus current) =>
        Assert.Equal(TableStatus.Occupied, TableOccupancy.WhenOrderOpens(current));

    [Fact]
    public void An_occupied_table_stays_as_it_is_when_another_order_opens() => Assert.Null(TableOccupancy.WhenOrderOpens(TableStatus.Occupied));

    [Fact]
    public void The_last_order_closing_frees_the_table() =>
        Assert.Equal(TableStatus.Available, TableOccupancy.WhenOrderCloses(TableStatus.Occupied, otherOrdersHoldIt: false));

    [Fact]
    public void A_table_another_order_still_holds_stays_occupied() => Assert.Null(TableOccupancy.WhenOrderCloses(TableStatus.Occupied, otherOrdersHoldIt: true));

    [Theory]
    [InlineData(TableStatus.Cleaning)]
    [InlineData(TableStatus.Reserved)]
    public void A_status_the_staff_set_since_is_left_alone(TableStatus current) =>
        Assert.Null(TableOccupancy.WhenOrderCloses(current, otherOrdersHoldIt: false));

    [Theory]
    [InlineData(OrderStatus.Pending, true)]
    [InlineData(OrderStatus.Ready, true)]
    [InlineData(OrderStatus.Served, true)]
    [InlineData(OrderStatus.Completed, false)]
    [InlineData(OrderStatus.Cancelled, false)]
    public void Served_orders_still_hold_their_table_until_completed(OrderStatus status, bool holds) =>
        Assert.Equal(holds, TableOccupancy.Holds(status));
}
