namespace VSmenu.Queue;

/// <summary>How one dispatch differs from the job type's defaults: a delay, another queue, a retry deadline.</summary>
public sealed record JobDispatch
{
    public TimeSpan? Delay { get; init; }

    public string? Queue { get; init; }

    public DateTimeOffset? RetryUntil { get; init; }

    public static JobDispatch After(TimeSpan delay) => new() { Delay = delay };

    public static JobDispatch OnQueue(string queue) => new() { Queue = queue };
}
