namespace VSmenu.Api.Edge.RateLimiting;

/// <summary>
/// The API's request limits (configuration section <c>RateLimiting</c>), with the spec's defaults: 100 requests a
/// minute per user, 20 per IP address without a token, 10 new orders a minute per user, and 5 sign-in or sign-up
/// attempts a minute per IP address and e-mail.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimiting";

    /// <summary>Off only where something in front of the API (a gateway) already limits requests.</summary>
    public bool Enabled { get; set; } = true;

    public RateLimitRule Authenticated { get; set; } = new() { PermitLimit = 100 };

    public RateLimitRule Anonymous { get; set; } = new() { PermitLimit = 20 };

    public RateLimitRule OrderCreation { get; set; } = new() { PermitLimit = 10 };

    public RateLimitRule Credentials { get; set; } = new() { PermitLimit = 5 };

    /// <summary>How long a request waits for Redis before this replica decides on its own counters instead.</summary>
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(500);
}

public sealed class RateLimitRule
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);
}
