using Microsoft.EntityFrameworkCore;
using Npgsql;
using VSmenu.Data;
using VSmenu.Data.Invoices;
using VSmenu.Data.Orders;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Invoices;

/// <summary>The spec's <c>GenerateInvoice</c>: renders a completed order's PDF invoice once and stores it for the api to serve.</summary>
public sealed partial class GenerateInvoiceHandler(VsmenuDbContext db, TimeProvider time, ILogger<GenerateInvoiceHandler> logger)
    : IJobHandler<GenerateInvoice>
{
    public async Task HandleAsync(GenerateInvoice job, JobContext context, CancellationToken cancellationToken)
    {
        if (await db.Invoices.AnyAsync(invoice => invoice.OrderId == job.OrderId, cancellationToken))
        {
            return;
        }

        var order = await db.Orders.AsNoTracking().Include(o => o.Items).Include(o => o.Customer)
            .FirstOrDefaultAsync(o => o.Id == job.OrderId, cancellationToken);
        if (order is null)
        {
            return;
        }

        var restaurant = await db.Tenants.AsNoTracking().FirstAsync(t => t.Id == job.TenantId, cancellationToken);
        var number = $"NF-{order.Id:D6}";
        db.Invoices.Add(new Invoice { OrderId = order.Id, Number = number, Total = order.Total, Pdf = InvoiceDocument.Render(restaurant, order, number, time.GetUtcNow()) });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            LogGenerated(number, order.Id);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Another attempt of this job stored it first: the invoice exists, which is all this job is for.
        }
    }

    [LoggerMessage(LogLevel.Information, "Invoice {Number} generated for order {OrderId}")]
    private partial void LogGenerated(string number, long orderId);
}
