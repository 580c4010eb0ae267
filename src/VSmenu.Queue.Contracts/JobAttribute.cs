namespace VSmenu.Queue;

/// <summary>How a job type runs unless a dispatch says otherwise (Laravel's <c>$queue</c>, <c>$tries</c>, <c>$timeout</c>, <c>$backoff</c>).</summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class JobAttribute(string name) : Attribute
{
    /// <summary>The job's name in payloads: stable across renames of the C# type.</summary>
    public string Name { get; } = name;

    public string Queue { get; set; } = Queues.Default;

    /// <summary>Attempts in all, the first included; 0 leaves it to the worker's <c>--tries</c>.</summary>
    public int Tries { get; set; }

    /// <summary>Seconds one attempt may run; 0 leaves it to the worker's <c>--timeout</c>.</summary>
    public int TimeoutSeconds { get; set; }

    /// <summary>Seconds to wait before each retry; the last value repeats (<c>[10, 30, 60]</c>).</summary>
    public int[] BackoffSeconds { get; set; } = [];
}
