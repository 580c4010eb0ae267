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

        string? connectionString = null;
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(redis, async (_, cancellationToken) =>
            connectionString = await redis.ConnectionStringExpression.GetValueAsync(cancellationToken));

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddRedis(
            _ => connectionString ?? throw new InvalidOperationException($"The connection string of '{name}' is not available yet."),
            name: healthCheckKey);

        return builder.AddResource(redis)
            .WithEndpoint(name: LocalRedisResource.PrimaryEndpointName, scheme: "tcp")
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(redis.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1 -::1");
                context.Args.Add("--save");
                context.Args.Add("");
                if (data.IsEphemeral)
                {
                    context.Args.Add("--appendonly");
                    context.Args.Add("no");
                }
                else
                {
                    context.Args.Add("--dir");
                    context.Args.Add(data.CreateFor(name));
                    context.Args.Add("--appendonly");
                    context.Args.Add("yes");
                }
            })
            .WithIconName("Memory")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }
}
