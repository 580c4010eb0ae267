using Microsoft.EntityFrameworkCore;
using Npgsql;
using VSmenu.Data;
using VSmenu.Data.Orders;
using VSmenu.Data.Payments;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Payments;

/// <summary>
/// The spec's <c>ProcessPayment</c>: charges a confirmed order's card or Pix through the gateway, with the order as the
/// idempotency key (a retry, or a second confirmation, never charges twice), and records the outcome. A gateway that
/// is down or slow makes the attempt fail and the job retry with its backoff; the circuit breaker stops hammering it.
/// </summary>
public sealed partial class ProcessPaymentHandler(VsmenuDbContext db, PaymentGateway gateway, ILogger<ProcessPaymentHandler> logger)
    : IJobHandler<ProcessPayment>
{
    public async Task HandleAsync(ProcessPayment job, JobContext context, CancellationToken cancellationToken)
    {
        if (await db.Payments.AnyAsync(payment => payment.OrderId == job.OrderId, cancellationToken))
        {
            LogAlreadyRecorded(job.OrderId);
            return;
        }

        var order = await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == job.OrderId, cancellationToken);
        if (order?.PaymentMethod is not { } method)
        {
            return;
        }

        var charge = await gateway.ChargeAsync(order.Id, order.Total, method, $"order-{order.Id}-charge", cancellationToken);
        db.Payments.Add(new Payment
        {
            OrderId = order.Id,
            Amount = order.Total,
            Method = method,
            Status = charge.Captured ? PaymentStatus.Captured : PaymentStatus.Declined,
            GatewayReference = charge.Id,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogCharged(order.Id, charge.Status, charge.Id);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another attempt recorded the same charge (same idempotency key, same gateway answer) first.
        }
    }

    [LoggerMessage(LogLevel.Information, "ProcessPayment for order {OrderId} already recorded; nothing charged")]
    private partial void LogAlreadyRecorded(long orderId);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} payment {Status} ({ChargeId})")]
    private partial void LogCharged(long orderId, string status, string chargeId);
}
