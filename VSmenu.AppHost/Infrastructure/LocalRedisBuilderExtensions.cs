using Microsoft.Extensions.DependencyInjection;

namespace VSmenu.AppHost.Infrastructure;

public static class LocalRedisBuilderExtensions
{
    /// <summary>
    /// Adds Redis as a local <c>redis-server</c> process on a port the orchestrator assigns, bound to loopback, with
    /// the same health check as the container. Persistent data directories get an append-only file.
    /// </summary>
    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, string redisServer, DataDirectory data)
    {
        var redis = new LocalRedisResource(name, redisServer, builder.AppHostDirectory);

        if (!data.IsEphemeral)
        {
            builder.Eventing.Subscribe<BeforeResourceStartedEvent>(redis, (_, _) =>
            {
                data.CreateFor(name);
                return Task.CompletedTask;
            });
        }

        var connectionString = ResolvedConnectionString.Capture(builder, redis);
        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(_ => connectionString.Value, name: healthCheckKey);

        return builder.AddResource(redis)
            // Not proxied: every query would otherwise cross DCP's TCP proxy (a quarter of a core under bench/api.sh).
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(
            [
                "--port", redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort),
                "--bind", "127.0.0.1 -::1",
                "--save", "",
                .. data.IsEphemeral ? ["--appendonly", "no"] : new object[] { "--dir", data.PathFor(name), "--appendonly", "yes" },
            ])
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
