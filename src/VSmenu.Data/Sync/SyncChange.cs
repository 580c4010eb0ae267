using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenancy;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Sync;

/// <summary>
/// One synced record changed by one transaction, written by the database's trigger (<see cref="SyncTracking"/>), never by
/// a call site: a REST write, a sync push, a stock take in the worker and a cascade alike. <see cref="Version"/> is the
/// transaction's id; a pull serves only versions below its snapshot's oldest running transaction, which can no longer
/// gain a change, so a transaction that began earlier and commits later is never skipped.
/// </summary>
public sealed class SyncChange : ITenantOwned
{
    public long TenantId { get; set; }

    /// <summary>One of <see cref="SyncEntities"/>: an item changes its order, an address its customer.</summary>
    public required string Entity { get; set; }

    public long EntityId { get; set; }

    /// <summary>The writing transaction's id (<c>pg_current_xact_id()</c>).</summary>
    public long Version { get; set; }

    /// <summary><see cref="SyncOps.Put"/>, or <see cref="SyncOps.Delete"/> for a tombstone.</summary>
    public required string Op { get; set; }

    public DateTimeOffset ChangedAt { get; set; }
}

/// <summary>The synced record kinds, named as the sync contract names them.</summary>
public static class SyncEntities
{
    public const string Categories = "categories";
    public const string Products = "products";
    public const string Customers = "customers";
    public const string Tables = "tables";
    public const string Orders = "orders";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Categories, Products, Customers, Tables, Orders };
}

public static class SyncOps
{
    public const string Put = "put";
    public const string Delete = "delete";
}

internal sealed class SyncChangeConfiguration : IEntityTypeConfiguration<SyncChange>
{
    public void Configure(EntityTypeBuilder<SyncChange> change)
    {
        // The cursor's order. Byte order for the entity: the row comparison and the key agree whatever the database's locale.
        change.HasKey(c => new { c.TenantId, c.Version, c.Entity, c.EntityId });
        change.Property(c => c.Entity).HasMaxLength(20).UseCollation("C");
        change.Property(c => c.Op).HasMaxLength(10);
        change.HasIndex(c => new { c.TenantId, c.Entity, c.EntityId }).HasDatabaseName("ix_sync_changes_record");
        change.HasIndex(c => c.ChangedAt).HasFilter("op = 'delete'").HasDatabaseName("ix_sync_changes_tombstones");
        change.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}
