using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Invoices;

/// <summary>The PDF invoice of a completed order, generated once by the worker and served by the api.</summary>
public sealed class Invoice : ITenantOwned, ICreationStamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public long OrderId { get; set; }

    /// <summary>The restaurant's invoice number, e.g. <c>NF-000042</c>.</summary>
    public required string Number { get; set; }

    public decimal Total { get; set; }

    public required byte[] Pdf { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
{
    public void Configure(EntityTypeBuilder<Invoice> invoice)
    {
        invoice.HasIndex(i => i.OrderId).IsUnique();
        invoice.Property(i => i.Number).HasMaxLength(32);
        invoice.HasOne<Orders.Order>().WithMany().HasForeignKey(i => i.OrderId).OnDelete(DeleteBehavior.Cascade);
    }
}
