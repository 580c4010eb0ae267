using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Tables;

internal sealed class DiningTableConfiguration : IEntityTypeConfiguration<DiningTable>
{
    public void Configure(EntityTypeBuilder<DiningTable> table)
    {
        table.ToTable("tables");
        table.Property(t => t.Status).HasMaxLength(20);
        table.HasIndex(t => new { t.TenantId, t.Number }).IsUnique();
        table.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
