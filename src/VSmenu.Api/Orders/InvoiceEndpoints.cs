using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;

namespace VSmenu.Api.Orders;

/// <summary><c>GET /orders/{id}/invoice</c>: the PDF the worker generated when the order completed.</summary>
public static class InvoiceEndpoints
{
    public static RouteGroupBuilder MapInvoiceEndpoints(this RouteGroupBuilder orders)
    {
        orders.MapGet("/{id:long}/invoice", GetAsync).Produces(StatusCodes.Status200OK, contentType: "application/pdf");
        return orders;
    }

    private static async Task<IResult> GetAsync(long id, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var invoice = await db.Invoices.AsNoTracking().Where(i => i.OrderId == id)
            .Select(i => new { i.Number, i.Pdf }).FirstOrDefaultAsync(cancellationToken);
        if (invoice is not null)
        {
            return TypedResults.File(invoice.Pdf, "application/pdf", $"{invoice.Number}.pdf");
        }

        return await db.Orders.AnyAsync(order => order.Id == id, cancellationToken)
            ? ApiResults.Error(StatusCodes.Status404NotFound, ApiText.InvoiceNotReady.Format())
            : ApiResults.NotFound();
    }
}
