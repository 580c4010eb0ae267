namespace VSmenu.Queue;

/// <summary>
/// A unit of background work: a serializable record of what to do. Its <see cref="JobAttribute"/> names it on the wire
/// and sets its queue, tries, timeout and backoff; an <see cref="Worker.IJobHandler{TJob}"/> does it.
/// </summary>
public interface IJob;

/// <summary>A job done for one restaurant: when it fails for good, that restaurant's owner sees it and may retry it.</summary>
public interface ITenantJob : IJob
{
    long TenantId { get; }
}
