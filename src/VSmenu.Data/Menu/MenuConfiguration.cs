using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Menu;

internal sealed class CategoryConfiguration : IEntityTypeConfiguration<Category>
{
    public void Configure(EntityTypeBuilder<Category> category)
    {
        category.Property(c => c.Name).HasMaxLength(100);
        category.Property(c => c.Description).HasMaxLength(500);
        category.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> product)
    {
        product.Property(p => p.Name).HasMaxLength(120);
        product.Property(p => p.Description).HasMaxLength(1000);
        product.Property(p => p.Price).HasPrecision(10, 2);
        product.Property(p => p.Sku).HasMaxLength(64);
        product.HasIndex(p => new { p.TenantId, p.Sku }).IsUnique().HasFilter("sku IS NOT NULL");
        product.HasOne(p => p.Category).WithMany(c => c.Products).HasForeignKey(p => p.CategoryId).OnDelete(DeleteBehavior.Restrict);
        product.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
