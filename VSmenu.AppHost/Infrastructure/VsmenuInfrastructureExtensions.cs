using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace VSmenu.AppHost.Infrastructure;

/// <summary>The backing stores every service references, whichever way they run.</summary>
public sealed record VsmenuInfrastructure(
    IResourceBuilder<IResourceWithConnectionString> Redis,
    IResourceBuilder<IResourceWithConnectionString> Database,
    InfrastructureMode Mode,
    DataDirectory Data);

public static class VsmenuInfrastructureExtensions
{
    public const string RedisName = "redis";
    public const string PostgresName = "postgres";
    public const string DatabaseName = "vsmenudb";

    /// <summary>
    /// Adds <c>redis</c>, <c>postgres</c> and its database <c>vsmenudb</c>, as containers or as local processes
    /// (see <see cref="InfrastructureModeSelector"/>), and logs which and why when the application starts.
    /// </summary>
    public static VsmenuInfrastructure AddVsmenuInfrastructure(this IDistributedApplicationBuilder builder)
    {
        var choice = InfrastructureModeSelector.Select(
            builder.Configuration[InfrastructureModeSelector.SettingName],
            builder.ExecutionContext.IsPublishMode,
            () => ContainerRuntimeProbe.Probe(builder.Configuration["ASPIRE_CONTAINER_RUNTIME"]));

        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("VSmenu.AppHost.Infrastructure")
                .LogInformation("Redis and PostgreSQL run as {Mode}: {Reason}", choice.Mode == InfrastructureMode.Local ? "local processes" : "containers", choice.Reason);
            return Task.CompletedTask;
        });

        var data = DataDirectory.Create(builder);
        return choice.Mode == InfrastructureMode.Containers
            ? builder.AddContainerInfrastructure(data)
            : builder.AddLocalInfrastructure(data);
    }

    private static VsmenuInfrastructure AddContainerInfrastructure(this IDistributedApplicationBuilder builder, DataDirectory data)
    {
        var redis = builder.AddRedis(RedisName);
        var postgres = builder.AddPostgres(PostgresName);
        if (!data.IsEphemeral)
        {
            redis.WithDataVolume();
            postgres.WithDataVolume();
        }

        return new(redis, postgres.AddDatabase(DatabaseName), InfrastructureMode.Containers, data);
    }

    private static VsmenuInfrastructure AddLocalInfrastructure(this IDistributedApplicationBuilder builder, DataDirectory data)
    {
        var searchPath = LocalBinaries.SystemSearchPath();
        var redis = builder.AddLocalRedis(RedisName, LocalBinaries.FindRedisServer(searchPath), data);
        var postgres = builder.AddLocalPostgres(PostgresName, LocalBinaries.FindPostgres(searchPath), PostgresUser.ForCurrentProcess(), data);

        return new(redis, postgres.AddDatabase(DatabaseName), InfrastructureMode.Local, data);
    }
}
