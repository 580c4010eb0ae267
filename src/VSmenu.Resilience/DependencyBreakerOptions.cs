namespace VSmenu.Resilience;

/// <summary>When a backing store's circuit opens and how it is probed while open.</summary>
public sealed class DependencyBreakerOptions
{
    /// <summary>
    /// Failures in a row (timeouts, refusals) that open the circuit; 0 counts none. A burst of connection attempts on a
    /// busy machine can time out together while the server answers everything else, so a process that watches for
    /// stalls (<see cref="StallTimeout"/>) may rather not count at all.
    /// </summary>
    public int FailuresToOpen { get; set; } = 3;

    /// <summary>How often, while open, one probe is sent.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Opens the circuit when calls are waiting and none has been answered for this long (null: off). A store that hangs
    /// answers nothing at all, while a busy one answers some calls all the time; so this tells the two apart where a
    /// short per-call timeout cannot (on a busy machine a slow answer is not a hung server). For callers whose every
    /// call is short, such as the api's requests.
    /// </summary>
    public TimeSpan? StallTimeout { get; set; }

    /// <summary>How long a probe may take before it counts as failed.</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);
}
