using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace VSmenu.Data.Tenancy;

/// <summary>
/// The write half of tenant isolation (queries are filtered in the model): new records take the current tenant,
/// and nothing is inserted, changed or deleted for a tenant other than the current one.
/// </summary>
public static class TenantGuard
{
    public static void Apply(IEnumerable<EntityEntry> changes, long? currentTenantId)
    {
        foreach (var entry in changes)
        {
            if (entry.Entity is not ITenantOwned owned || entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            if (entry.State is EntityState.Added && owned.TenantId == 0)
            {
                owned.TenantId = currentTenantId
                    ?? throw new InvalidOperationException($"A new {entry.Metadata.ClrType.Name} needs a tenant, and none is current.");
            }
            else if (currentTenantId is { } tenantId && owned.TenantId != tenantId)
            {
                throw new InvalidOperationException(
                    $"Refusing to write {entry.Metadata.ClrType.Name} of tenant {owned.TenantId} while acting for tenant {tenantId}.");
            }
        }
    }
}
