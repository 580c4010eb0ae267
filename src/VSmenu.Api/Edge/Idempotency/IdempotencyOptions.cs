namespace VSmenu.Api.Edge.Idempotency;

/// <summary>How <c>Idempotency-Key</c> requests are remembered (configuration section <c>Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a completed request's response is replayed for the same key.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a key stays claimed by a request still running; a crashed replica's claim lapses after it.</summary>
    public TimeSpan InFlightLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a second request with the same key waits for the first to finish before it gets a 409.</summary>
    public TimeSpan WaitForInFlight { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a request waits for Redis before it runs without the replay guarantee.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
