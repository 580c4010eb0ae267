using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Customers;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> customer)
    {
        customer.Property(c => c.Name).HasMaxLength(120);
        customer.Property(c => c.Email).HasMaxLength(254);
        customer.Property(c => c.Phone).HasMaxLength(32);
        customer.HasMany(c => c.Addresses).WithOne().HasForeignKey(a => a.CustomerId).OnDelete(DeleteBehavior.Cascade);
        customer.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AddressConfiguration : IEntityTypeConfiguration<Address>
{
    public void Configure(EntityTypeBuilder<Address> address)
    {
        address.Property(a => a.Label).HasMaxLength(60);
        address.Property(a => a.Street).HasMaxLength(200);
        address.Property(a => a.Number).HasMaxLength(20);
        address.Property(a => a.Complement).HasMaxLength(100);
        address.Property(a => a.District).HasMaxLength(100);
        address.Property(a => a.City).HasMaxLength(100);
        address.Property(a => a.State).HasMaxLength(60);
        address.Property(a => a.PostalCode).HasMaxLength(20);
        address.Property(a => a.Reference).HasMaxLength(200);
    }
}
