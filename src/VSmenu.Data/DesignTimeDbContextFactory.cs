using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace VSmenu.Data;

/// <summary>
/// Lets <c>dotnet ef migrations add</c> build the model without starting the AppHost; it never connects.
/// </summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<VsmenuDbContext>
{
    public VsmenuDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<VsmenuDbContext>();
        VsmenuDataExtensions.ConfigureProvider(options.UseNpgsql("Host=design-time-only"));
        return new VsmenuDbContext(options.Options);
    }
}
