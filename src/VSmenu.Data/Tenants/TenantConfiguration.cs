using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VSmenu.Data.Tenants;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> tenant)
    {
        tenant.Property(t => t.Name).HasMaxLength(120);
        tenant.Property(t => t.Slug).HasMaxLength(80);
        tenant.Property(t => t.Email).HasMaxLength(254);
        tenant.Property(t => t.CreatedAt).HasDefaultValueSql("now()");
        tenant.Property(t => t.UpdatedAt).HasDefaultValueSql("now()");
        tenant.HasIndex(t => t.Slug).IsUnique();
    }
}
