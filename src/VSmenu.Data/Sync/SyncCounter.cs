using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Sync;

/// <summary>
/// A restaurant's sync version. The tracking trigger bumps it once per committing transaction, at commit (a deferred
/// trigger), under the row's lock: a transaction that began earlier and commits later still gets the higher version,
/// which a timestamp or a sequence value taken before commit would not.
/// </summary>
public sealed class SyncCounter
{
    public long TenantId { get; set; }

    public long Version { get; set; }

    /// <summary>Tombstones up to this version have been removed: a cursor below it can no longer be served.</summary>
    public long PurgedVersion { get; set; }
}

internal sealed class SyncCounterConfiguration : IEntityTypeConfiguration<SyncCounter>
{
    public void Configure(EntityTypeBuilder<SyncCounter> counter)
    {
        counter.HasKey(c => c.TenantId);
        counter.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
