using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Edge.Idempotency;
using VSmenu.Api.Edge.RateLimiting;
using VSmenu.Api.Infrastructure;
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

    public static WebApplicationBuilder AddOrders(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<OrderCommands>();
        builder.Services.AddSingleton<OrderMetrics>();
        return builder;
    }

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

    private static async Task<IResult> CreateAsync(CreateOrderRequest body, OrderCommands orders, ClaimsPrincipal caller, HttpRequest http, CancellationToken cancellationToken)
    {
        var outcome = await orders.CreateAsync(body, caller, SocketId.From(http), http.HttpContext.Features.Get<IdempotentRequest>(), cancellationToken);
        if (outcome.Replayed)
        {
            http.HttpContext.Response.Headers[IdempotencyMiddleware.ReplayedHeaderName] = "true";
        }

        return outcome.ToResult(order => TypedResults.Created($"/api/v1/orders/{order!.Id}", DataResponse.Of(OrderResource.From(order, OrderIncludes.All))));
    }

    private static async Task<IResult> UpdateAsync(
        long id, Partial<UpdateOrderRequest> body, ClaimsPrincipal caller, OrderCommands orders, HttpRequest http, CancellationToken cancellationToken) =>
        (await orders.UpdateAsync(id, body, caller, SocketId.From(http), cancellationToken))
            .ToResult(order => TypedResults.Ok(DataResponse.Of(OrderResource.From(order!, OrderIncludes.All))));

    private static async Task<IResult> DeleteAsync(long id, ClaimsPrincipal caller, OrderCommands orders, CancellationToken cancellationToken) =>
        (await orders.DeleteAsync(id, caller, cancellationToken)).ToResult(_ => TypedResults.NoContent());
}
