using Microsoft.EntityFrameworkCore;
using VSmenu.Data.Tenants;

namespace VSmenu.Data;

public sealed class VsmenuDbContext(DbContextOptions<VsmenuDbContext> options) : DbContext(options)
{
    public DbSet<Tenant> Tenants => Set<Tenant>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VsmenuDbContext).Assembly);
    }
}
