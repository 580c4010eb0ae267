using System.Text.Json.Serialization;
using VSmenu.Api.Customers;
using VSmenu.Data.Orders;

namespace VSmenu.Api.Orders;

public sealed record OrderItemResource(
    long Id, long OrderId, long? ProductId, string ProductName, int Quantity, decimal Price, decimal Subtotal, string? Notes)
{
    public static OrderItemResource From(OrderItem item) =>
        new(item.Id, item.OrderId, item.ProductId, item.ProductName, item.Quantity, item.Price, item.Subtotal, item.Notes);
}

public sealed record TableSummary(long Id, int Number);

/// <summary>An order as the spec shows it; relations appear when loaded (always on a single order, on request in lists).</summary>
public sealed record OrderResource(
    long Id,
    Guid? ClientId,
    OrderType Type,
    OrderStatus Status,
    long? CustomerId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CustomerSummary? Customer,
    long? TableId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] TableSummary? Table,
    long? DeliveryAddressId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] AddressResource? DeliveryAddress,
    PaymentMethod? PaymentMethod,
    string? Notes,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<OrderItemResource>? Items,
    decimal Total,
    string? CancellationReason,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static OrderResource From(Order order, IReadOnlySet<string> includes) => new(
        order.Id,
        order.ClientId,
        order.Type,
        order.Status,
        order.CustomerId,
        includes.Contains(OrderIncludes.Customer) && order.Customer is { } customer ? CustomerSummary.From(customer) : null,
        order.TableId,
        includes.Contains(OrderIncludes.Table) && order.Table is { } table ? new TableSummary(table.Id, table.Number) : null,
        order.DeliveryAddressId,
        includes.Contains(OrderIncludes.DeliveryAddress) && order.DeliveryAddress is { } address ? AddressResource.From(address) : null,
        order.PaymentMethod,
        order.Notes,
        includes.Contains(OrderIncludes.Items) ? order.Items.OrderBy(item => item.Id).Select(OrderItemResource.From).ToList() : null,
        order.Total,
        order.CancellationReason,
        order.CreatedAt,
        order.UpdatedAt);
}

public static class OrderIncludes
{
    public const string Items = "items";
    public const string Customer = "customer";
    public const string Table = "table";
    public const string DeliveryAddress = "delivery_address";

    public static readonly IReadOnlySet<string> All = new HashSet<string> { Items, Customer, Table, DeliveryAddress };
}
