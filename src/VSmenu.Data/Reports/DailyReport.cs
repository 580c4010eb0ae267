using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using VSmenu.Data.Tenancy;
using VSmenu.Queue;

namespace VSmenu.Data.Reports;

/// <summary>A restaurant's sales of one day (UTC), computed by the daily <see cref="GenerateReports"/> job.</summary>
public sealed class DailyReport : ITenantOwned, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public DateOnly Date { get; set; }

    public int OrdersCount { get; set; }

    public int CancelledCount { get; set; }

    /// <summary>Total of the day's orders that were not cancelled.</summary>
    public decimal Revenue { get; set; }

    public decimal AverageTicket { get; set; }

    /// <summary>The day's best sellers, <c>[{product_name, quantity, revenue}]</c>.</summary>
    public required string TopProducts { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Each restaurant's <see cref="DailyReport"/> of <see cref="Date"/>; run again, it rewrites them.</summary>
[Job(nameof(GenerateReports), Queue = Queues.Low, Tries = 1, TimeoutSeconds = 600)]
public sealed record GenerateReports(DateOnly Date) : IJob;

internal sealed class DailyReportConfiguration : IEntityTypeConfiguration<DailyReport>
{
    public void Configure(EntityTypeBuilder<DailyReport> report)
    {
        report.HasIndex(r => new { r.TenantId, r.Date }).IsUnique();
        report.Property(r => r.TopProducts).HasColumnType("jsonb");
    }
}
