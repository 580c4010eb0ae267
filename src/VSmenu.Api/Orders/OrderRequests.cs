using VSmenu.Api.Infrastructure;
using VSmenu.Api.Menu;
using VSmenu.Data;
using VSmenu.Data.Orders;

namespace VSmenu.Api.Orders;

public sealed record OrderLineRequest(long? ProductId, int? Quantity, decimal? Price, string? Notes)
{
    public const int MaxQuantity = 999;

    public void Validate(Validator validator, string prefix)
    {
        validator.Field($"{prefix}product_id", ProductId).Required();
        validator.Field($"{prefix}quantity", Quantity).Required().Between(1, MaxQuantity);
        validator.Field($"{prefix}price", Price).Between(0m, ProductRequest.MaxPrice).DecimalPlaces(2);
        validator.Field($"{prefix}notes", Notes).MaxLength(200);
    }
}

public sealed record CreateOrderRequest(
    string? Type, long? CustomerId, long? TableId, long? DeliveryAddressId, string? PaymentMethod, string? Notes,
    IReadOnlyList<OrderLineRequest?>? Items, Guid? ClientId = null) : IValidatableRequest
{
    public const int MaxItems = 100;

    public void Validate(Validator validator)
    {
        validator.Field("type", Type).Required().OneOf<OrderType>();
        var type = WireEnum<OrderType>.TryParse(Type, out var parsed) ? parsed : (OrderType?)null;
        var delivery = WireEnum<OrderType>.Name(OrderType.Delivery);
        var dineIn = WireEnum<OrderType>.Name(OrderType.DineIn);

        validator.Field("customer_id", CustomerId).RequiredWhen(type is OrderType.Delivery or OrderType.Takeaway, "type", Type!);
        validator.Field("table_id", TableId)
            .RequiredWhen(type is OrderType.DineIn, "type", dineIn)
            .ProhibitedWhen(type is not null and not OrderType.DineIn, "type", Type!);
        validator.Field("delivery_address_id", DeliveryAddressId)
            .RequiredWhen(type is OrderType.Delivery, "type", delivery)
            .ProhibitedWhen(type is not null and not OrderType.Delivery, "type", Type!);
        validator.Field("payment_method", PaymentMethod).OneOf<PaymentMethod>();
        validator.Field("notes", Notes).MaxLength(500);

        if (Items is null || Items.Count == 0)
        {
            validator.Errors.Add("items", ApiText.OrderNeedsItems.Format());
            return;
        }

        validator.Field("items", Items).Must(items => items.Count <= MaxItems, ApiText.MaxItems, MaxItems);
        for (var i = 0; i < Math.Min(Items.Count, MaxItems); i++)
        {
            if (Items[i] is { } line)
            {
                line.Validate(validator, $"items.{i}.");
            }
            else
            {
                validator.Field($"items.{i}", Items[i]).Required();
            }
        }
    }
}

public sealed record UpdateOrderRequest(string? Status, string? CancellationReason, string? Notes, string? PaymentMethod) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("status", Status).Required().OneOf<OrderStatus>();
        var cancelled = WireEnum<OrderStatus>.Name(OrderStatus.Cancelled);
        validator.Field("cancellation_reason", CancellationReason)
            .RequiredWhen(Status == cancelled, "status", cancelled)
            .MaxLength(500);
        validator.Field("notes", Notes).MaxLength(500);
        validator.Field("payment_method", PaymentMethod).OneOf<PaymentMethod>();
    }
}

public sealed record OrderItemRequest(long? ProductId, int? Quantity, decimal? Price, string? Notes) : IValidatableRequest
{
    public OrderLineRequest AsLine() => new(ProductId, Quantity, Price, Notes);

    public void Validate(Validator validator) => AsLine().Validate(validator, "");
}

public sealed record OrderItemChangeRequest(int? Quantity, string? Notes) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("quantity", Quantity).Required().Between(1, OrderLineRequest.MaxQuantity);
        validator.Field("notes", Notes).MaxLength(200);
    }
}
