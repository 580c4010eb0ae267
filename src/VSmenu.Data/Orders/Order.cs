using VSmenu.Data.Customers;
using VSmenu.Data.Tables;
using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Orders;

public sealed class Order : ITenantOwned, IIdentified, ITimestamped
{
    /// <summary>The unique index on tenant and client id, named in the error of a second insert of one client id.</summary>
    public const string UniqueClientId = "ix_orders_tenant_id_client_id";

    public long Id { get; set; }

    public long TenantId { get; set; }

    public OrderType Type { get; set; }

    public OrderStatus Status { get; set; }

    public long? CustomerId { get; set; }

    public Customer? Customer { get; set; }

    public long? TableId { get; set; }

    public DiningTable? Table { get; set; }

    public long? DeliveryAddressId { get; set; }

    public Address? DeliveryAddress { get; set; }

    /// <summary>
    /// The id the POS terminal (or any client) gave the order when it made it, offline perhaps: one order per client id
    /// in a restaurant, so a create sent again finds the order it made, however late.
    /// </summary>
    public Guid? ClientId { get; set; }

    public PaymentMethod? PaymentMethod { get; set; }

    public string? Notes { get; set; }

    /// <summary>Sum of the items' subtotals, computed here and never taken from a client.</summary>
    public decimal Total { get; private set; }

    public string? CancellationReason { get; set; }

    public List<OrderItem> Items { get; set; } = [];

    /// <summary>PostgreSQL's row version: two concurrent status changes cannot both win.</summary>
    public uint Version { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public void RecalculateTotal() => Total = Items.Sum(item => item.Subtotal);

    /// <summary>Whether the total and every line's subtotal fit a money column: 999 of a dish at the menu's highest price do not.</summary>
    public bool AmountsFit => Total <= Money.Max && Items.All(item => item.Subtotal <= Money.Max);

    /// <summary>Items can change only before the kitchen has confirmed the order.</summary>
    public bool ItemsAreEditable => Status is OrderStatus.Pending;

    /// <summary>Only orders that never reached the kitchen, or were called off, may be erased.</summary>
    public bool IsDeletable => Status is OrderStatus.Pending or OrderStatus.Cancelled;
}
