using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Orders;

/// <summary>
/// One line of an order. The product's name and price are copied when ordered, so later menu changes do not
/// rewrite what the customer was charged.
/// </summary>
public sealed class OrderItem : ITenantOwned, IIdentified, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public long OrderId { get; set; }

    /// <summary><c>null</c> once the product has been removed from the menu.</summary>
    public long? ProductId { get; set; }

    public required string ProductName { get; set; }

    public int Quantity { get; private set; }

    public decimal Price { get; private set; }

    public decimal Subtotal { get; private set; }

    public string? Notes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public void Charge(decimal price, int quantity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(price);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(quantity);
        Price = price;
        Quantity = quantity;
        Subtotal = decimal.Round(price * quantity, 2, MidpointRounding.AwayFromZero);
    }
}
