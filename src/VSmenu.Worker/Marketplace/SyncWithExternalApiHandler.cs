using Microsoft.EntityFrameworkCore;
using VSmenu.Data;
using VSmenu.Data.Orders;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Marketplace;

/// <summary>The spec's <c>SyncWithExternalAPI</c>: puts a delivery order's current state to the marketplace, keyed by order and status.</summary>
public sealed partial class SyncWithExternalApiHandler(
    VsmenuDbContext db, MarketplaceClient marketplace, ILogger<SyncWithExternalApiHandler> logger) : IJobHandler<SyncWithExternalApi>
{
    public async Task HandleAsync(SyncWithExternalApi job, JobContext context, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == job.OrderId, cancellationToken);
        if (order is null)
        {
            return;
        }

        var status = WireEnum<OrderStatus>.Name(order.Status);
        var ack = await marketplace.PutOrderAsync(order.Id, status, order.Total, $"order-{order.Id}-{status}", cancellationToken);
        LogSynced(order.Id, status, ack.Reference);
    }

    [LoggerMessage(LogLevel.Information, "Order {OrderId} synced to the marketplace as {Status} ({Reference})")]
    private partial void LogSynced(long orderId, string status, string reference);
}
