namespace VSmenu.Api.Edge.Idempotency;

/// <summary>How <c>Idempotency-Key</c> requests are remembered (configuration section <c>Idempotency</c>).</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a completed request's response is replayed for the same key.</summary>
    public TimeSpan Lifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a key stays claimed by a request still running; a crashed replica's claim lapses after it.</summary>
    public TimeSpan InFlightLease { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long a second request with the same key waits for the first to finish before it gets a 409 (with
    /// <c>Retry-After</c>). Under 2 s, as every answer of the api: a tablet whose connection was cut with a killed replica
    /// sends again at once, and the claim of the dead request holds for <see cref="InFlightLease"/> (a chaos run's
    /// slowest requests were these waits, at 3 s).
    /// </summary>
    public TimeSpan WaitForInFlight { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How long a request waits for Redis before it runs without the replay guarantee.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}
