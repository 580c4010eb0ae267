using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace VSmenu.Data.Jobs;

internal sealed class OutboxJobConfiguration : IEntityTypeConfiguration<OutboxJob>
{
    public void Configure(EntityTypeBuilder<OutboxJob> job)
    {
        job.Property(j => j.Job).HasMaxLength(100);
        job.Property(j => j.Payload).HasColumnType("jsonb");
        job.HasIndex(j => j.Id).HasFilter("dispatched_at IS NULL").HasDatabaseName("ix_outbox_jobs_pending");
    }
}

internal sealed class FailedJobRecordConfiguration : IEntityTypeConfiguration<FailedJobRecord>
{
    public void Configure(EntityTypeBuilder<FailedJobRecord> failed)
    {
        failed.ToTable("failed_jobs");
        failed.HasIndex(f => f.Uuid).IsUnique();
        failed.HasIndex(f => new { f.TenantId, f.FailedAt });
        failed.Property(f => f.Connection).HasMaxLength(50);
        failed.Property(f => f.Queue).HasMaxLength(100);
    }
}
