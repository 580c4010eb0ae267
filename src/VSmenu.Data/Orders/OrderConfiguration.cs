using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Menu;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Orders;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    private const string OrderIds = "orders_hilo";
    internal const string OrderItemIds = "order_items_hilo";

    /// <summary>
    /// Ids a process takes from a sequence at a time. When its block runs out, every order the process is creating waits
    /// for the next one: with blocks of 10 and 64 tablets ordering at once, that wait was two thirds of each order's time
    /// (bench/spans.sh; a fetch every 3 orders, the items' block running out first). A process that stops leaves the rest
    /// of its block unused: ids are unique and never reused, not dense.
    /// </summary>
    private const int IdBlock = 1000;

    /// <summary>The sequences the order and item ids come from, a block at a time.</summary>
    public static void ConfigureIdBlocks(ModelBuilder model)
    {
        model.HasSequence(OrderIds).IncrementsBy(IdBlock);
        model.HasSequence(OrderItemIds).IncrementsBy(IdBlock);
    }

    public void Configure(EntityTypeBuilder<Order> order)
    {
        // Keys from a hi/lo sequence are known before the insert: the order, its items and its outbox rows go to
        // PostgreSQL as one batch, and the order.created payload can carry the order's id.
        order.Property(o => o.Id).UseHiLo(OrderIds);
        order.Property(o => o.Type).HasMaxLength(20);
        order.Property(o => o.Status).HasMaxLength(20);
        order.Property(o => o.PaymentMethod).HasMaxLength(20);
        order.Property(o => o.Notes).HasMaxLength(500);
        order.Property(o => o.CancellationReason).HasMaxLength(500);
        order.Property(o => o.Version).IsRowVersion();
        order.HasIndex(o => new { o.TenantId, o.CreatedAt });
        order.HasIndex(o => new { o.TenantId, o.ClientId }).IsUnique().HasFilter("client_id IS NOT NULL").HasDatabaseName(Order.UniqueClientId);
        order.HasOne(o => o.Customer).WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Restrict);
        order.HasOne(o => o.Table).WithMany().HasForeignKey(o => o.TableId).OnDelete(DeleteBehavior.Restrict);
        order.HasOne(o => o.DeliveryAddress).WithMany().HasForeignKey(o => o.DeliveryAddressId).OnDelete(DeleteBehavior.Restrict);
        order.HasMany(o => o.Items).WithOne().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Cascade);
        order.HasOne<Tenant>().WithMany().HasForeignKey(o => o.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OrderItemConfiguration : IEntityTypeConfiguration<OrderItem>
{
    public void Configure(EntityTypeBuilder<OrderItem> item)
    {
        item.Property(i => i.Id).UseHiLo(OrderConfiguration.OrderItemIds);
        item.Property(i => i.ProductName).HasMaxLength(120);
        item.Property(i => i.Price).HasPrecision(10, 2);
        item.Property(i => i.Notes).HasMaxLength(200);
        item.HasOne<Product>().WithMany().HasForeignKey(i => i.ProductId).OnDelete(DeleteBehavior.SetNull);
    }
}
