namespace VSmenu.Data.Jobs;

/// <summary>
/// A job that failed for good (Laravel's <c>failed_jobs</c>). Not tenant-filtered: the worker stores every failure, and
/// the admin endpoints show a restaurant's owner only the rows of that restaurant.
/// </summary>
public sealed class FailedJobRecord
{
    public long Id { get; set; }

    public Guid Uuid { get; set; }

    public string Connection { get; set; } = "redis";

    public required string Queue { get; set; }

    /// <summary>The job's envelope as it last ran.</summary>
    public required string Payload { get; set; }

    public required string Exception { get; set; }

    public DateTimeOffset FailedAt { get; set; }

    /// <summary>The restaurant the job worked for; null for platform jobs (reports, cleanup).</summary>
    public long? TenantId { get; set; }
}
