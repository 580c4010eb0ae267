using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Menu;
using VSmenu.Data.Orders;
using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Inventory;

/// <summary>
/// Units of a product taken out of stock by an order. At most one per order and product (a unique index): the row
/// is how <see cref="UpdateInventory"/> takes stock exactly once, without touching the order row the staff edit.
/// </summary>
public sealed class StockMovement : ITenantOwned, ICreationStamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public long OrderId { get; set; }

    public long ProductId { get; set; }

    /// <summary>Units, negative when taken out.</summary>
    public int Quantity { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class StockMovementConfiguration : IEntityTypeConfiguration<StockMovement>
{
    public void Configure(EntityTypeBuilder<StockMovement> movement)
    {
        movement.HasIndex(m => new { m.OrderId, m.ProductId }).IsUnique();
        movement.HasOne<Order>().WithMany().HasForeignKey(m => m.OrderId).OnDelete(DeleteBehavior.Cascade);
        movement.HasOne<Product>().WithMany().HasForeignKey(m => m.ProductId).OnDelete(DeleteBehavior.Cascade);
    }
}
