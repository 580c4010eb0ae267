using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Orders;

namespace VSmenu.Api.Orders;

/// <summary><c>/orders/{orderId}/items</c>: an order's lines, which change only while it is pending; the total follows.</summary>
public static class OrderItemEndpoints
{
    private static readonly Listing<OrderItem> Listing = new Listing<OrderItem>(item => item.Id)
        .Sort("subtotal", item => item.Subtotal)
        .Sort("product_name", item => item.ProductName);

    public static RouteGroupBuilder MapOrderItemEndpoints(this RouteGroupBuilder orders)
    {
        var items = orders.MapGroup("/{orderId:long}/items");

        items.MapGet("/", ListAsync).Produces<PagedResponse<OrderItemResource>>();
        items.MapGet("/{id:long}", ShowAsync).Produces<DataResponse<OrderItemResource>>();
        items.MapPost("/", AddAsync).Produces<DataResponse<OrderItemResource>>(StatusCodes.Status201Created).RequireAuthorization(OrderPolicies.TakeOrders);
        items.MapMethods("/{id:long}", [HttpMethods.Put, HttpMethods.Patch], ChangeAsync).Produces<DataResponse<OrderItemResource>>()
            .Accepts<OrderItemChangeRequest>("application/json").RequireAuthorization(OrderPolicies.TakeOrders);
        items.MapDelete("/{id:long}", RemoveAsync).RequireAuthorization(OrderPolicies.TakeOrders);
        return orders;
    }

    private static async Task<IResult> ListAsync(long orderId, VsmenuDbContext db, HttpRequest request, CancellationToken cancellationToken) =>
        await db.Orders.AnyAsync(order => order.Id == orderId, cancellationToken)
            ? TypedResults.Ok(await Listing.ToPageAsync(
                db.OrderItems.Where(item => item.OrderId == orderId), request, (item, _) => OrderItemResource.From(item), cancellationToken))
            : ApiResults.NotFound();

    private static async Task<IResult> ShowAsync(long orderId, long id, VsmenuDbContext db, CancellationToken cancellationToken) =>
        await db.OrderItems.AsNoTracking().FirstOrDefaultAsync(item => item.Id == id && item.OrderId == orderId, cancellationToken) is { } item
            ? TypedResults.Ok(DataResponse.Of(OrderItemResource.From(item)))
            : ApiResults.NotFound();

    private static async Task<IResult> AddAsync(long orderId, OrderItemRequest body, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var (order, refusal) = await LoadEditableAsync(db, orderId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        var line = body.AsLine();
        var catalogue = await db.Products.AsNoTracking().Where(product => product.Id == line.ProductId).ToDictionaryAsync(product => product.Id, cancellationToken);
        var errors = new ValidationErrors();
        var priced = OrderPricing.Price([line], catalogue, errors, prefix: "");
        if (errors.Any)
        {
            return ApiResults.Invalid(errors);
        }

        var item = priced.Single();
        item.OrderId = order.Id;
        await db.OrderItems.AddAsync(item, cancellationToken);
        order.Items.Add(item);
        if (!OrderPricing.TotalFits(order, errors))
        {
            return ApiResults.Invalid(errors);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/orders/{orderId}/items/{item.Id}", DataResponse.Of(OrderItemResource.From(item)));
    }

    private static async Task<IResult> ChangeAsync(
        long orderId, long id, Partial<OrderItemChangeRequest> body, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var (order, refusal) = await LoadEditableAsync(db, orderId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (order.Items.FirstOrDefault(item => item.Id == id) is not { } item)
        {
            return ApiResults.NotFound();
        }

        if (body.Has(r => r.Quantity))
        {
            item.Charge(item.Price, body.Value.Quantity!.Value);
        }

        if (body.Has(r => r.Notes))
        {
            item.Notes = body.Value.Notes;
        }

        var errors = new ValidationErrors();
        if (!OrderPricing.TotalFits(order, errors))
        {
            return ApiResults.Invalid(errors);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(DataResponse.Of(OrderItemResource.From(item)));
    }

    private static async Task<IResult> RemoveAsync(long orderId, long id, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var (order, refusal) = await LoadEditableAsync(db, orderId, cancellationToken);
        if (refusal is not null)
        {
            return refusal;
        }

        if (order.Items.FirstOrDefault(item => item.Id == id) is not { } item)
        {
            return ApiResults.NotFound();
        }

        if (order.Items.Count == 1)
        {
            return ApiResults.Invalid("items", ApiText.OrderNeedsItems.Format());
        }

        order.Items.Remove(item);
        db.OrderItems.Remove(item);
        order.RecalculateTotal();
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>The order with its items, or the answer when it is missing (404) or past pending (409).</summary>
    private static async Task<(Order Order, IResult? Refusal)> LoadEditableAsync(VsmenuDbContext db, long orderId, CancellationToken cancellationToken)
    {
        var order = await db.Orders.Include(order => order.Items).FirstOrDefaultAsync(order => order.Id == orderId, cancellationToken);
        return order switch
        {
            null => (null!, ApiResults.NotFound()),
            { ItemsAreEditable: false } => (order, ApiResults.Conflict(ApiText.ItemsLocked.Format(WireEnum<OrderStatus>.Name(order.Status)))),
            _ => (order, null),
        };
    }
}
