using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VSmenu.Api.Auth;
using VSmenu.Api.Edge.Idempotency;
using VSmenu.Api.Edge.RateLimiting;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Idempotency;
using VSmenu.Data.Orders;

namespace VSmenu.Api.Orders;

public static class OrderEndpoints
{
    private static readonly Listing<Order> Listing = new Listing<Order>(order => order.Id, defaultSort: "-created_at")
        .Sort("created_at", order => order.CreatedAt)
        .Sort("updated_at", order => order.UpdatedAt)
        .Sort("total", order => order.Total)
        .Sort("status", order => order.Status)
        .FilterEnum<OrderStatus>("status", status => order => order.Status == status)
        .FilterEnum<OrderType>("type", type => order => order.Type == type)
        .FilterNumber("customer_id", customerId => order => order.CustomerId == customerId)
        .FilterNumber("table_id", tableId => order => order.TableId == tableId)
        .FilterInstant("created_from", upper: false, from => order => order.CreatedAt >= from)
        .FilterInstant("created_to", upper: true, to => order => order.CreatedAt <= to)
        .Include(OrderIncludes.Items, orders => orders.Include(order => order.Items))
        .Include(OrderIncludes.Customer, orders => orders.Include(order => order.Customer))
        .Include(OrderIncludes.Table, orders => orders.Include(order => order.Table))
        .Include(OrderIncludes.DeliveryAddress, orders => orders.Include(order => order.DeliveryAddress));

    public static RouteGroupBuilder MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");

        orders.MapList(Listing, OrderResource.From);
        orders.MapShow<Order, OrderResource>(WithEverything, order => OrderResource.From(order, OrderIncludes.All));
        orders.MapPost("/", CreateAsync).RequireAuthorization(OrderPolicies.TakeOrders).RateLimited(RateLimitPolicy.OrderCreation).Produces<DataResponse<OrderResource>>(StatusCodes.Status201Created);
        orders.MapMethods("/{id:long}", [HttpMethods.Put, HttpMethods.Patch], UpdateAsync)
            .Accepts<UpdateOrderRequest>("application/json").Produces<DataResponse<OrderResource>>();
        orders.MapDelete("/{id:long}", DeleteAsync).RequireAuthorization(OrderPolicies.DeleteOrders);
        orders.MapOrderItemEndpoints();
        orders.MapInvoiceEndpoints();
        return api;
    }

    internal static IQueryable<Order> WithEverything(IQueryable<Order> orders) => orders
        .Include(order => order.Items)
        .Include(order => order.Customer)
        .Include(order => order.Table)
        .Include(order => order.DeliveryAddress);

    private static async Task<IResult> CreateAsync(CreateOrderRequest body, VsmenuDbContext db, HttpRequest http, CancellationToken cancellationToken)
    {
        var idempotent = http.HttpContext.Features.Get<IdempotentRequest>();
        if (idempotent is not null && await CreatedBeforeAsync(db, idempotent, http, cancellationToken) is { } replayed)
        {
            return replayed;
        }

        var type = WireEnum<OrderType>.Parse(body.Type!);
        var lines = body.Items!.Select(line => line!).ToList();
        var errors = new ValidationErrors();

        var productIds = lines.Select(line => line.ProductId!.Value).Distinct().ToList();
        var catalogue = await db.Products.AsNoTracking().Where(product => productIds.Contains(product.Id)).ToDictionaryAsync(product => product.Id, cancellationToken);
        var customer = await FindReferenceAsync(db.Customers, body.CustomerId, "customer_id", errors, cancellationToken);
        var table = await FindReferenceAsync(db.Tables, body.TableId, "table_id", errors, cancellationToken);
        var address = await FindReferenceAsync(db.Addresses.Where(address => address.CustomerId == body.CustomerId), body.DeliveryAddressId, "delivery_address_id", errors, cancellationToken);
        var items = OrderPricing.Price(lines, catalogue, errors);
        if (errors.Any)
        {
            return ApiResults.Invalid(errors);
        }

        var order = new Order
        {
            Type = type,
            Status = OrderStatus.Pending,
            CustomerId = customer?.Id,
            TableId = table?.Id,
            DeliveryAddressId = address?.Id,
            PaymentMethod = body.PaymentMethod is null ? null : WireEnum<PaymentMethod>.Parse(body.PaymentMethod),
            Notes = body.Notes,
            Items = items,
        };
        order.RecalculateTotal();
        // Async: the hi/lo generator may fetch a new block of ids, and Add would do that blocking a thread.
        await db.Orders.AddAsync(order, cancellationToken);
        db.BroadcastOnSave(() => OrderEvents.OrderCreated(order, customer?.Name), SocketId.From(http));
        db.DispatchOnSave(() => OrderJobs.OnCreated(order));
        if (idempotent is not null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord { Scope = idempotent.Scope, Fingerprint = idempotent.Fingerprint, Order = order });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (idempotent is not null && exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: IdempotencyRecord.UniqueScope })
        {
            // A try of the same request committed while this one ran: that order is the answer to both.
            db.ChangeTracker.Clear();
            return (await CreatedBeforeAsync(db, idempotent, http, cancellationToken))!;
        }

        order.Customer = customer;
        order.Table = table;
        order.DeliveryAddress = address;
        return Created(order);
    }

    /// <summary>
    /// The order an earlier try of this request created under the same key, answered as then (with
    /// <c>Idempotent-Replayed</c>); a 422 when the key was used for another request; null when there is none.
    /// </summary>
    private static async Task<IResult?> CreatedBeforeAsync(VsmenuDbContext db, IdempotentRequest request, HttpRequest http, CancellationToken cancellationToken)
    {
        var record = await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == request.Scope, cancellationToken);
        if (record is null)
        {
            return null;
        }

        if (record.Fingerprint != request.Fingerprint)
        {
            return ApiResults.Error(StatusCodes.Status422UnprocessableEntity, ApiText.IdempotencyKeyReused.Format());
        }

        var order = await WithEverything(db.Orders.AsNoTracking()).FirstAsync(o => o.Id == record.OrderId, cancellationToken);
        http.HttpContext.Response.Headers[IdempotencyMiddleware.ReplayedHeaderName] = "true";
        return Created(order);
    }

    private static IResult Created(Order order) =>
        TypedResults.Created($"/api/v1/orders/{order.Id}", DataResponse.Of(OrderResource.From(order, OrderIncludes.All)));

    private static async Task<IResult> UpdateAsync(
        long id, Partial<UpdateOrderRequest> body, ClaimsPrincipal caller, IAuthorizationService authorization, VsmenuDbContext db,
        HttpRequest http, CancellationToken cancellationToken)
    {
        if (await WithEverything(db.Orders).FirstOrDefaultAsync(order => order.Id == id, cancellationToken) is not { } order)
        {
            return ApiResults.NotFound();
        }

        var request = body.Value;
        if ((body.Has("notes") || body.Has("payment_method")) && !(await authorization.AuthorizeAsync(caller, OrderPolicies.TakeOrders)).Succeeded)
        {
            return ApiResults.Forbidden();
        }

        if (body.Has("status") && WireEnum<OrderStatus>.Parse(request.Status!) is var next && next != order.Status)
        {
            var role = caller.GetRole();
            switch (OrderWorkflow.Check(order.Type, order.Status, next, role))
            {
                case TransitionVerdict.Illegal:
                    return ApiResults.Conflict(ApiText.IllegalTransition.Format(Name(order.Type), Name(order.Status), Name(next)));
                case TransitionVerdict.Forbidden:
                    return ApiResults.Forbidden(ApiText.TransitionForbidden.Format(Name(role), Name(order.Status), Name(next)));
            }

            var previous = order.Status;
            order.Status = next;
            order.CancellationReason = next is OrderStatus.Cancelled ? request.CancellationReason : order.CancellationReason;
            db.BroadcastOnSave(() => OrderEvents.StatusChange(order, order.Customer?.Name, previous), SocketId.From(http));
            db.DispatchOnSave(() => OrderJobs.OnStatusChanged(order));
        }

        if (body.Has("notes"))
        {
            order.Notes = request.Notes;
        }

        if (body.Has("payment_method"))
        {
            order.PaymentMethod = request.PaymentMethod is null ? null : WireEnum<PaymentMethod>.Parse(request.PaymentMethod);
        }

        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(DataResponse.Of(OrderResource.From(order, OrderIncludes.All)));
    }

    private static async Task<IResult> DeleteAsync(long id, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        if (await db.FindByIdAsync<Order>(id, cancellationToken) is not { } order)
        {
            return ApiResults.NotFound();
        }

        if (!order.IsDeletable)
        {
            return ApiResults.Conflict(ApiText.OrderNotDeletable.Format(Name(order.Status)));
        }

        db.Orders.Remove(order);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>Loads the referenced record of the current tenant; an id that is not one becomes a 422 on its field.</summary>
    private static async Task<T?> FindReferenceAsync<T>(
        IQueryable<T> candidates, long? id, string field, ValidationErrors errors, CancellationToken cancellationToken) where T : class, IIdentified
    {
        if (id is null)
        {
            return null;
        }

        var found = await candidates.AsNoTracking().FirstOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (found is null)
        {
            errors.Add(field, ApiText.Exists.Format(field));
        }

        return found;
    }

    private static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => WireEnum<TEnum>.Name(value);
}
