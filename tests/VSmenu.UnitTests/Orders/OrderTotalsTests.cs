using VSmenu.Data.Orders;

namespace VSmenu.UnitTests.Orders;

public sealed class OrderTotalsTests
{
    [Fact]
    public void Total_is_the_exact_sum_of_price_times_quantity()
    {
        var order = new Order { Items = [Item(0.10m, 3), Item(0.20m, 1), Item(25.50m, 2)] };

        order.RecalculateTotal();

        Assert.Equal(51.50m, order.Total);
        Assert.Equal([0.30m, 0.20m, 51.00m], order.Items.Select(item => item.Subtotal));
    }

    [Fact]
    public void Total_follows_changed_quantities()
    {
        var line = Item(12.35m, 1);
        var order = new Order { Items = [line] };
        order.RecalculateTotal();

        line.Charge(line.Price, 7);
        order.RecalculateTotal();

        Assert.Equal(86.45m, order.Total);
    }

    [Theory]
    [InlineData(-0.01, 1)]
    [InlineData(1.00, 0)]
    [InlineData(1.00, -2)]
    public void An_item_cannot_be_charged_a_negative_price_or_a_non_positive_quantity(decimal price, int quantity)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Item(price, quantity));
    }

    private static OrderItem Item(decimal price, int quantity)
    {
        var item = new OrderItem { ProductName = "x" };
        item.Charge(price, quantity);
        return item;
    }
}
