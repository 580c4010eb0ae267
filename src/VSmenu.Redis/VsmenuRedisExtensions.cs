using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace VSmenu.Redis;

public static class VsmenuRedisExtensions
{
    /// <summary>The Aspire resource (and connection string) name of the Redis server.</summary>
    public const string ResourceName = "redis";

    /// <summary>
    /// Adds the process's single <see cref="StackExchange.Redis.IConnectionMultiplexer"/> on the <c>redis</c>
    /// connection that the AppHost passes in (with Aspire's tracing), its <see cref="RedisCircuit"/>, and a readiness
    /// check that this process can write, not just reach, the server.
    /// </summary>
    public static TBuilder AddVsmenuRedis<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddRedisClient(ResourceName, settings => settings.DisableHealthChecks = true);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RedisCircuit>();
        // Bounded, so that /health answers (unhealthy) while Redis hangs; it replaces Aspire's ping, which has no bound.
        builder.Services.AddHealthChecks().AddCheck<RedisWritableHealthCheck>("redis-writable", timeout: TimeSpan.FromSeconds(2));
        return builder;
    }
}
