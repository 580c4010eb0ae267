using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace VSmenu.AppHost.Infrastructure;

public static class LocalPostgresBuilderExtensions
{
    private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Adds PostgreSQL as a local server process: the data folder is initialised with <c>initdb</c> on first
    /// start, the server listens on loopback only (trust authentication, as a developer's own server) on a port
    /// the orchestrator assigns, and runs as the <c>postgres</c> user when the AppHost is root.
    /// </summary>
    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, PostgresBinaries binaries, PostgresUser user, DataDirectory data)
    {
        var dataPath = data.PathFor(name);
        var (command, leadingArguments) = user.Command(binaries.Postgres);
        var server = new LocalPostgresServerResource(name, command, builder.AppHostDirectory);

        builder.Eventing.Subscribe<BeforeResourceStartedEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await InitializeDataDirectoryAsync(binaries, user, data, name, logger, cancellationToken);
        });

        // Without a database the server's connection string would default to one named after the user.
        var connectionString = ResolvedConnectionString.Capture(builder, server);
        string AdministrativeConnectionString() => connectionString.Value + ";Database=postgres";

        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(server);
            await CreateDatabasesAsync(server, AdministrativeConnectionString(), logger, cancellationToken);
        });

        var healthCheckKey = $"{name}_check";
        builder.Services.AddHealthChecks().AddNpgSql(_ => AdministrativeConnectionString(), name: healthCheckKey);

        return builder.AddResource(server)
            // Not proxied: every query would otherwise cross DCP's TCP proxy (a quarter of a core under bench/api.sh).
            .WithEndpoint(name: LocalPostgresServerResource.PrimaryEndpointName, scheme: "tcp", isProxied: false)
            .WithArgs(
            [
                .. leadingArguments,
                "-D", dataPath,
                "-p", server.PrimaryEndpoint.Property(EndpointProperty.TargetPort),
                "-c", "listen_addresses=localhost",
                // TCP only: a Unix socket would need a directory that both root and postgres can write.
                "-c", "unix_socket_directories=",
                // Each service pools up to 100 connections (Npgsql's default); 100 in total would starve the second.
                "-c", "max_connections=300",
                // Where a request's database time goes, per statement (bench/api.sh prints the top ones); it costs a hash
                // and a counter per statement.
                "-c", "shared_preload_libraries=pg_stat_statements",
                // Throw-away test data: durability buys nothing and costs seconds.
                .. data.IsEphemeral ? ["-c", "fsync=off"] : Array.Empty<object>(),
            ])
            .WithIconName("DatabaseMultiple")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    /// <summary>Adds a database that is created on the server as soon as the server is ready.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases[name] = database.DatabaseName;

        var connectionString = ResolvedConnectionString.Capture(server.ApplicationBuilder, database);

        // The orchestrator gives child resources their parent's state only for containers; a database on a
        // server process would otherwise stay 'Not started' and hold back everything that waits for it.
        server.ApplicationBuilder.Eventing.Subscribe<InitializeResourceEvent>(database, (@event, cancellationToken) =>
        {
            _ = Task.Run(() => MirrorServerStateAsync(database, @event.Notifications, cancellationToken), cancellationToken);
            return Task.CompletedTask;
        });

        var healthCheckKey = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().AddNpgSql(_ => connectionString.Value, name: healthCheckKey);

        return server.ApplicationBuilder.AddResource(database)
            .WithIconName("Database")
            .WithHealthCheck(healthCheckKey)
            .ExcludeFromManifest();
    }

    private static async Task MirrorServerStateAsync(
        LocalPostgresDatabaseResource database, ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        await foreach (var update in notifications.WatchAsync(cancellationToken))
        {
            if (update.Resource == database.Parent)
            {
                await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                {
                    ResourceType = "PostgresDatabase",
                    State = update.Snapshot.State,
                    StartTimeStamp = update.Snapshot.StartTimeStamp,
                    StopTimeStamp = update.Snapshot.StopTimeStamp,
                });
            }
        }
    }

    private static async Task InitializeDataDirectoryAsync(
        PostgresBinaries binaries, PostgresUser user, DataDirectory data, string name, ILogger logger, CancellationToken cancellationToken)
    {
        var dataPath = data.CreateFor(name);
        if (File.Exists(Path.Combine(dataPath, "PG_VERSION")))
        {
            return;
        }

        if (user.SwitchFromRoot)
        {
            await RunAsync("chown", [PostgresUser.Name, dataPath], logger, cancellationToken);
        }

        string[] initDbArguments = ["-D", dataPath, "-U", LocalPostgresServerResource.SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale", "--no-instructions"];
        var (command, arguments) = user.Command(binaries.InitDb, data.IsEphemeral ? [.. initDbArguments, "--no-sync"] : initDbArguments);
        await RunAsync(command, arguments, logger, cancellationToken);
    }

    /// <summary>Runs a set-up program, copies its output to the resource's log, and fails the start if it fails.</summary>
    private static async Task RunAsync(string command, IReadOnlyList<string> arguments, ILogger logger, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(command, arguments, SetupTimeout, cancellationToken)
            ?? throw new DistributedApplicationException($"'{command}' was not found on PATH.");

        foreach (var line in (result.Output + result.Error).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            logger.LogInformation("{Line}", line);
        }

        if (result.ExitCode != 0)
        {
            throw new DistributedApplicationException($"'{command} {string.Join(' ', arguments)}' exited with code {result.ExitCode}.");
        }
    }

    private static async Task CreateDatabasesAsync(
        LocalPostgresServerResource server, string administrativeConnectionString, ILogger logger, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(administrativeConnectionString);
        await connection.OpenAsync(cancellationToken);

        foreach (var databaseName in server.Databases.Values)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new() { Value = databaseName } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) is not null)
            {
                continue;
            }

            var quotedName = new NpgsqlCommandBuilder().QuoteIdentifier(databaseName);
            await using var create = new NpgsqlCommand($"CREATE DATABASE {quotedName}", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Created database {Database}", databaseName);
        }
    }
}
