using VSmenu.Data.Tenancy;
using VSmenu.Queue;

namespace VSmenu.Data.Jobs;

/// <summary>
/// A job to push onto the queue, written in the same transaction as the change that causes it, so a committed change
/// never loses its jobs when Redis is down at commit time: the worker's relay pushes pending rows and stamps them.
/// </summary>
public sealed class OutboxJob : ITenantOwned, ICreationStamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    /// <summary>The job's uuid, also its key in Redis: a relay that pushes it twice adds it once.</summary>
    public Guid Uuid { get; set; }

    public required string Job { get; set; }

    /// <summary>The job's envelope (<c>VSmenu.Queue.JobEnvelope</c>) as JSON.</summary>
    public required string Payload { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DispatchedAt { get; set; }

    /// <summary>The row that pushes <paramref name="envelope"/> once committed (its tenant is checked on save).</summary>
    public static OutboxJob For(JobEnvelope envelope) => new()
    {
        TenantId = envelope.TenantId ?? 0,
        Uuid = Guid.Parse(envelope.Uuid),
        Job = envelope.Job,
        Payload = envelope.ToJson(),
    };
}
