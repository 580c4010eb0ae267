using VSmenu.Data.Orders;

namespace VSmenu.UnitTests.Orders;

public sealed class OrderJobsTests
{
    private static Order AnOrder(OrderType type, OrderStatus status, PaymentMethod? payment = null) =>
        new() { Id = 7, TenantId = 3, Type = type, Status = status, PaymentMethod = payment };

    [Fact]
    public void A_new_order_notifies_and_takes_stock_and_a_delivery_one_also_syncs_the_marketplace()
    {
        Assert.Equal([new SendOrderNotification(3, 7), new UpdateInventory(3, 7)], OrderJobs.OnCreated(AnOrder(OrderType.Takeaway, OrderStatus.Pending)));
        Assert.Equal(
            [new SendOrderNotification(3, 7), new UpdateInventory(3, 7), new SyncWithExternalApi(3, 7)],
            OrderJobs.OnCreated(AnOrder(OrderType.Delivery, OrderStatus.Pending)));
    }

    [Theory]
    [InlineData(PaymentMethod.CreditCard, true)]
    [InlineData(PaymentMethod.DebitCard, true)]
    [InlineData(PaymentMethod.Pix, true)]
    [InlineData(PaymentMethod.Cash, false)]
    [InlineData(PaymentMethod.Voucher, false)]
    public void Confirming_charges_online_payment_methods_only(PaymentMethod method, bool charged) =>
        Assert.Equal(charged, OrderJobs.OnStatusChanged(AnOrder(OrderType.DineIn, OrderStatus.Confirmed, method)).OfType<ProcessPayment>().Any());

    [Fact]
    public void Completing_issues_the_invoice_and_other_moves_of_a_dine_in_order_cause_nothing()
    {
        Assert.Equal([new GenerateInvoice(3, 7)], OrderJobs.OnStatusChanged(AnOrder(OrderType.DineIn, OrderStatus.Completed)));
        Assert.Empty(OrderJobs.OnStatusChanged(AnOrder(OrderType.DineIn, OrderStatus.Preparing, PaymentMethod.Pix)));
    }

    [Fact]
    public void Every_move_of_a_delivery_order_is_synced()
    {
        Assert.Equal([new SyncWithExternalApi(3, 7)], OrderJobs.OnStatusChanged(AnOrder(OrderType.Delivery, OrderStatus.OutForDelivery)));
    }
}
