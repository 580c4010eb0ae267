namespace VSmenu.Queue;

/// <summary>Where the queues live in Redis (section <c>Queue</c>), shared by every process that dispatches or works.</summary>
public sealed class QueueOptions
{
    public const string SectionName = "Queue";

    /// <summary>Every key starts with <c>{Prefix}</c>: one hash slot, so the scripts stay valid on a Redis Cluster.</summary>
    public string Prefix { get; set; } = "vsmenu:queue";

    /// <summary>How long a job pushed from the outbox remembers it was pushed, so a relay that repeats a push after a crash adds nothing.</summary>
    public TimeSpan DeduplicationWindow { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How long a finished batch stays queryable.</summary>
    public TimeSpan BatchRetention { get; set; } = TimeSpan.FromDays(7);
}
