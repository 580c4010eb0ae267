using VSmenu.Api.Edge.RateLimiting;

namespace VSmenu.UnitTests.Edge;

public sealed class RateLimitOptionsTests
{
    [Fact]
    public void Defaults_are_the_specs_limits_per_minute()
    {
        var limits = new RateLimitOptions();

        Assert.True(limits.Enabled);
        Assert.Equal(
            [(100, 60.0), (20, 60.0), (10, 60.0), (5, 60.0)],
            new[] { limits.Authenticated, limits.Anonymous, limits.OrderCreation, limits.Credentials }.Select(rule => (rule.PermitLimit, rule.Window.TotalSeconds)));
    }

    [Fact]
    public void Retry_after_rounds_up_and_is_never_below_one_second()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1_000);

        Assert.Equal(30, new RateLimitDecision(false, 10, 0, now.AddSeconds(29.2)).RetryAfterSeconds(now));
        Assert.Equal(1, new RateLimitDecision(false, 10, 0, now).RetryAfterSeconds(now));
        Assert.Equal(1, new RateLimitDecision(false, 10, 0, now.AddSeconds(-3)).RetryAfterSeconds(now));
    }
}
