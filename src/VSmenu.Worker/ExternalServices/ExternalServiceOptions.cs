namespace VSmenu.Worker.ExternalServices;

/// <summary>
/// One external provider (section <c>ExternalServices:{Name}</c>): where it is, and the resilience of calls to it —
/// per-attempt timeout, quick retries, and the spec's circuit breaker (open after 5 calls, most of them failed, for 60 s).
/// </summary>
public sealed class ExternalServiceOptions
{
    public const string SectionName = "ExternalServices";

    /// <summary>In development and tests the AppHost's sandbox plays every provider (resolved by service discovery).</summary>
    public Uri BaseAddress { get; set; } = new("https+http://sandbox");

    /// <summary>The provider's key, sent as <c>Authorization: Bearer</c> when set (the sandbox needs none).</summary>
    public string? ApiKey { get; set; }

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int Retries { get; set; } = 2;

    public int FailuresToBreak { get; set; } = 5;

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(60);
}
