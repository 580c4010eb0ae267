using System.Globalization;
using Microsoft.EntityFrameworkCore;
using VSmenu.Data;
using VSmenu.Data.Orders;
using VSmenu.Queue.Worker;
using VSmenu.Worker.Mail;

namespace VSmenu.Worker.Notifications;

/// <summary>The spec's <c>SendOrderNotification</c>: the customer's e-mail and SMS, and the restaurant's e-mail, each sent once across retries.</summary>
public sealed partial class SendOrderNotificationHandler(
    VsmenuDbContext db, Mailer mailer, SmsGateway sms, JobSteps steps, ILogger<SendOrderNotificationHandler> logger)
    : IJobHandler<SendOrderNotification>
{
    private static readonly CultureInfo Brazil = CultureInfo.GetCultureInfo("pt-BR");

    public async Task HandleAsync(SendOrderNotification job, JobContext context, CancellationToken cancellationToken)
    {
        var order = await db.Orders.AsNoTracking().Include(o => o.Customer).Include(o => o.Items)
            .FirstOrDefaultAsync(o => o.Id == job.OrderId, cancellationToken);
        if (order is null)
        {
            LogOrderGone(job.OrderId);
            return;
        }

        var restaurant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == job.TenantId, cancellationToken);
        LogSending(order.Id);
        var summary = Summary(order);

        if (order.Customer?.Email is { } customerEmail)
        {
            await steps.RunOnceAsync(context.Uuid, "customer-mail", () => mailer.SendAsync(
                customerEmail, $"{restaurant.Name}: pedido #{order.Id} recebido",
                $"Olá, {order.Customer.Name}!\n\nRecebemos o seu pedido #{order.Id}.\n\n{summary}", MessageId(context, "customer"), cancellationToken), cancellationToken);
        }

        if (order.Customer?.Phone is { } phone)
        {
            await steps.RunOnceAsync(context.Uuid, "customer-sms", async () =>
            {
                var outcome = await sms.SendAsync(phone, $"Seu pedido #{order.Id} foi confirmado!", context.Uuid, cancellationToken);
                LogSms(order.Id, outcome);
            }, cancellationToken);
        }

        await steps.RunOnceAsync(context.Uuid, "restaurant-mail", () => mailer.SendAsync(
            restaurant.Email, $"Novo pedido #{order.Id}",
            $"Novo pedido #{order.Id} ({order.Customer?.Name ?? "sem cliente"}).\n\n{summary}", MessageId(context, "restaurant"), cancellationToken), cancellationToken);
        LogSent(order.Id);
    }

    public Task FailedAsync(SendOrderNotification job, Exception exception, CancellationToken cancellationToken)
    {
        LogFailed(exception, job.OrderId);
        return Task.CompletedTask;
    }

    private static string Summary(Order order) =>
        string.Join('\n', order.Items.Select(item => $"{item.Quantity} x {item.ProductName}  {item.Subtotal.ToString("C", Brazil)}"))
        + $"\n\nTotal: {order.Total.ToString("C", Brazil)}";

    private static string MessageId(JobContext context, string recipient) => $"{context.Uuid}.{recipient}@vsmenu.io";

    [LoggerMessage(LogLevel.Information, "Sending order notification for order {OrderId}")]
    private partial void LogSending(long orderId);

    [LoggerMessage(LogLevel.Information, "Order notification sent for order {OrderId}")]
    private partial void LogSent(long orderId);

    [LoggerMessage(LogLevel.Information, "SMS for order {OrderId}: {Outcome}")]
    private partial void LogSms(long orderId, SmsOutcome outcome);

    [LoggerMessage(LogLevel.Warning, "Order {OrderId} no longer exists; nothing to notify")]
    private partial void LogOrderGone(long orderId);

    [LoggerMessage(LogLevel.Error, "Failed to send order notification for order {OrderId}")]
    private partial void LogFailed(Exception exception, long orderId);
}
