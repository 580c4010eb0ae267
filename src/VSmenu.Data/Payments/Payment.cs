using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Orders;
using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Payments;

public enum PaymentStatus
{
    Pending,
    Captured,
    Declined,
}

/// <summary>An order's charge at the payment gateway; at most one per order.</summary>
public sealed class Payment : ITenantOwned, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public long OrderId { get; set; }

    public decimal Amount { get; set; }

    public PaymentMethod Method { get; set; }

    public PaymentStatus Status { get; set; }

    /// <summary>The gateway's id of the charge.</summary>
    public string? GatewayReference { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> payment)
    {
        payment.HasIndex(p => p.OrderId).IsUnique();
        payment.Property(p => p.GatewayReference).HasMaxLength(100);
        payment.Property(p => p.Method).HasMaxLength(20);
        payment.Property(p => p.Status).HasMaxLength(20);
        payment.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}
