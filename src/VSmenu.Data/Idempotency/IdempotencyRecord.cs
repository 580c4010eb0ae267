using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Orders;
using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> an order was created under, written in the order's own transaction: the key's primary key
/// lets one order exist per key whatever became of the request. Redis remembers keys for replay, but a record there can
/// be missing when the request's commit answered late (a frozen database answers after the api has given up with a
/// 503), when the replica died before it settled the key, or when Redis was frozen itself; a retry then ran again and
/// created a second order. With this row it finds the first instead (the unique index on tenant and scope).
/// </summary>
public sealed class IdempotencyRecord : ITenantOwned, ICreationStamped
{
    /// <summary>The unique index on tenant and scope, named in the error of a second insert of one key.</summary>
    public const string UniqueScope = "ix_idempotency_records_tenant_id_scope";

    public long Id { get; set; }

    public long TenantId { get; set; }

    /// <summary>The key with the user who sent it (<c>{user id}:{key}</c>): keys are one user's.</summary>
    public required string Scope { get; set; }

    /// <summary>The request's hash (method, target, body): the same key on another request is refused, not replayed.</summary>
    public required string Fingerprint { get; set; }

    public long OrderId { get; set; }

    public Order? Order { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> record)
    {
        record.HasIndex(r => new { r.TenantId, r.Scope }).IsUnique().HasDatabaseName(IdempotencyRecord.UniqueScope);
        record.Property(r => r.Scope).HasMaxLength(300);
        record.Property(r => r.Fingerprint).HasMaxLength(64);
        record.HasOne(r => r.Order).WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Cascade);
        record.HasIndex(r => r.CreatedAt);
    }
}
