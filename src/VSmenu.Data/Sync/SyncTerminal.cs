using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenancy;
using VSmenu.Data.Tenants;

namespace VSmenu.Data.Sync;

/// <summary>
/// A POS terminal that pushes mutations: the last mutation id applied, so that each mutation runs once (a replay
/// returns its stored result) and in order (a gap is refused). Its row is locked for the whole push, so concurrent
/// copies of one push run one after the other and the later ones replay.
/// </summary>
public sealed class SyncTerminal : ITenantOwned
{
    public long TenantId { get; set; }

    public Guid ClientId { get; set; }

    public long LastMutationId { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The result a terminal's mutation had, as the push answered it: what a replay answers again.</summary>
public sealed class SyncMutation : ITenantOwned
{
    public long TenantId { get; set; }

    public Guid ClientId { get; set; }

    public long MutationId { get; set; }

    /// <summary>The JSON of the result entry (<c>{id, status, record?, status_code?, message?, errors?}</c>).</summary>
    public required string Result { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class SyncTerminalConfiguration : IEntityTypeConfiguration<SyncTerminal>
{
    public void Configure(EntityTypeBuilder<SyncTerminal> terminal)
    {
        terminal.HasKey(t => new { t.TenantId, t.ClientId });
        terminal.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class SyncMutationConfiguration : IEntityTypeConfiguration<SyncMutation>
{
    public void Configure(EntityTypeBuilder<SyncMutation> mutation)
    {
        mutation.HasKey(m => new { m.TenantId, m.ClientId, m.MutationId });
        mutation.Property(m => m.Result).HasColumnType("jsonb");
        mutation.HasIndex(m => m.CreatedAt);
        mutation.HasOne<SyncTerminal>().WithMany().HasForeignKey(m => new { m.TenantId, m.ClientId }).OnDelete(DeleteBehavior.Cascade);
    }
}
