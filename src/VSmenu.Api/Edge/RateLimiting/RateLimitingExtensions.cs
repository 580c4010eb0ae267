namespace VSmenu.Api.Edge.RateLimiting;

public static class RateLimitingExtensions
{
    /// <summary>Adds the Redis-backed request limits of <see cref="RateLimitOptions"/>, shared by every api replica.</summary>
    public static WebApplicationBuilder AddApiRateLimits(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .Validate(
                limits => new[] { limits.Authenticated, limits.Anonymous, limits.OrderCreation, limits.Credentials }
                    .All(rule => rule.PermitLimit > 0 && rule.Window > TimeSpan.Zero),
                "Every rate limit needs a PermitLimit above 0 and a positive Window.")
            .ValidateOnStart();
        builder.Services.AddSingleton<ApiRateLimiter>();
        return builder;
    }

    /// <summary>Counts requests once the caller is known (after authentication) and before anything is allowed to run.</summary>
    public static WebApplication UseApiRateLimits(this WebApplication app)
    {
        app.UseMiddleware<RateLimitingMiddleware>();
        return app;
    }
}
