using VSmenu.Queue;

namespace VSmenu.Data.Orders;

/// <summary>A job about one order of one restaurant: its span is named by the order and carries its id.</summary>
public abstract record OrderJob(long TenantId, long OrderId) : ITenantJob, IRecordJob
{
    (string Attribute, long Id) IRecordJob.Record => (OrderTelemetry.OrderAttribute, OrderId);
}

/// <summary>E-mail to the customer and the restaurant, and an SMS to the customer, that an order was placed.</summary>
[Job(nameof(SendOrderNotification), Queue = Queues.High, Tries = 3, TimeoutSeconds = 60, BackoffSeconds = [10, 30, 60])]
public sealed record SendOrderNotification(long TenantId, long OrderId) : OrderJob(TenantId, OrderId);

/// <summary>Takes an order's items out of stock, once, however often it runs.</summary>
[Job(nameof(UpdateInventory), Queue = Queues.Stock, Tries = 5, TimeoutSeconds = 30, BackoffSeconds = [1, 5, 10, 30])]
public sealed record UpdateInventory(long TenantId, long OrderId) : OrderJob(TenantId, OrderId);

/// <summary>Charges a card or Pix order through the payment gateway.</summary>
[Job(nameof(ProcessPayment), Queue = Queues.High, Tries = 3, TimeoutSeconds = 30, BackoffSeconds = [5, 15, 30])]
public sealed record ProcessPayment(long TenantId, long OrderId) : OrderJob(TenantId, OrderId);

/// <summary>The PDF invoice of a completed order.</summary>
[Job(nameof(GenerateInvoice), Queue = Queues.Default, Tries = 2, TimeoutSeconds = 60, BackoffSeconds = [10])]
public sealed record GenerateInvoice(long TenantId, long OrderId) : OrderJob(TenantId, OrderId);

/// <summary>Sends a delivery order's state to the marketplace it belongs on (iFood-like).</summary>
[Job("SyncWithExternalAPI", Queue = Queues.Default, Tries = 5, TimeoutSeconds = 30, BackoffSeconds = [5, 15, 30, 60])]
public sealed record SyncWithExternalApi(long TenantId, long OrderId) : OrderJob(TenantId, OrderId);

/// <summary>Which jobs an order's changes cause: dispatched through the outbox, in the change's transaction.</summary>
public static class OrderJobs
{
    private static readonly PaymentMethod[] ChargedOnline = [PaymentMethod.CreditCard, PaymentMethod.DebitCard, PaymentMethod.Pix];

    public static IEnumerable<IJob> OnCreated(Order order)
    {
        yield return new SendOrderNotification(order.TenantId, order.Id);
        yield return new UpdateInventory(order.TenantId, order.Id);
        if (order.Type is OrderType.Delivery)
        {
            yield return new SyncWithExternalApi(order.TenantId, order.Id);
        }
    }

    public static IEnumerable<IJob> OnStatusChanged(Order order)
    {
        if (order.Status is OrderStatus.Confirmed && order.PaymentMethod is { } method && ChargedOnline.Contains(method))
        {
            yield return new ProcessPayment(order.TenantId, order.Id);
        }

        if (order.Status is OrderStatus.Completed)
        {
            yield return new GenerateInvoice(order.TenantId, order.Id);
        }

        if (order.Type is OrderType.Delivery)
        {
            yield return new SyncWithExternalApi(order.TenantId, order.Id);
        }
    }
}
