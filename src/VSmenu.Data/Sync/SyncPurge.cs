using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Sync;

/// <summary>How far a restaurant's tombstones have been removed: a cursor at or below it may have missed a delete.</summary>
public sealed class SyncPurge
{
    public long TenantId { get; set; }

    /// <summary>The highest version (transaction id) of a removed tombstone.</summary>
    public long PurgedVersion { get; set; }
}

internal sealed class SyncPurgeConfiguration : IEntityTypeConfiguration<SyncPurge>
{
    public void Configure(EntityTypeBuilder<SyncPurge> purge)
    {
        purge.HasKey(p => p.TenantId);
        purge.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
