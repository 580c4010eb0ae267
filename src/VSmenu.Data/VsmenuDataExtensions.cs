using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VSmenu.Data.Health;
using VSmenu.Data.Resilience;
using VSmenu.Data.Tenancy;

namespace VSmenu.Data;

public static class VsmenuDataExtensions
{
    /// <summary>The Aspire resource (and connection string) name of the application database.</summary>
    public const string DatabaseResourceName = "vsmenudb";

    /// <summary>
    /// Retries absorb a dropped connection or a failover blip; with the database down, callers learn it (a 503)
    /// within a second rather than after EF's default half minute.
    /// </summary>
    private const int MaxRetries = 2;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a readiness check may wait on the database before it reports it unhealthy.</summary>
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A server that does not accept a connection within this is down for the caller (Npgsql waits 15 s).</summary>
    private const int ConnectTimeoutSeconds = 3;

    /// <summary>
    /// Adds <see cref="VsmenuDbContext"/> on the <c>vsmenudb</c> connection that the AppHost passes in, with retries of a
    /// dropped connection (never of a timed-out command), the circuit on PostgreSQL (<see cref="DatabaseCircuit"/>),
    /// Aspire's tracing, and the per-scope <see cref="CurrentTenant"/> it filters on. Timeouts come from the
    /// <c>Database</c> section (<see cref="DatabaseOptions"/>).
    /// </summary>
    /// <remarks>
    /// Pooled, as Aspire's own <c>AddNpgsqlDbContext</c> is: a context built per request cost the api a sixth of its
    /// allocations (its options, then a scope of EF's internal services), before it had run a query. A scope leases one
    /// and gives it the scope's <see cref="CurrentTenant"/>, the way EF's documentation passes state to pooled contexts.
    /// </remarks>
    public static TBuilder AddVsmenuData<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = TunedConnectionString(builder.Configuration);
        var options = DatabaseOptionsOf(builder.Configuration);

        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName);
        builder.Services.AddSingleton(new DatabaseCircuit.ConnectionString(connectionString));
        builder.Services.AddSingleton<DatabaseCircuit>();
        builder.Services.AddSingleton<DatabaseCircuitInterceptor>();
        builder.Services.AddScoped<CurrentTenant>();
        builder.Services.AddHostedService<ModelWarmup>();
        builder.Services.AddPooledDbContextFactory<VsmenuDbContext>((services, context) => ConfigureProvider(context.UseNpgsql(
                services.GetRequiredService<DatabaseCircuit>().DataSource,
                npgsql => npgsql.ExecutionStrategy(dependencies => new FailFastRetryingExecutionStrategy(
                    dependencies, MaxRetries, MaxRetryDelay, services.GetRequiredService<DatabaseCircuit>().Breaker))))
            .AddInterceptors(services.GetRequiredService<DatabaseCircuitInterceptor>()));
        builder.Services.AddScoped(services => services.GetRequiredService<IDbContextFactory<VsmenuDbContext>>().CreateDbContext()
            .ActingFor(services.GetRequiredService<CurrentTenant>()));
        builder.EnrichNpgsqlDbContext<VsmenuDbContext>(settings =>
        {
            // Aspire's own strategy retries for half a minute: a request would hang that long with the database down.
            settings.DisableRetry = true;
            settings.CommandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
            // Its check has no timeout of its own; ours (below) are bounded, and go through the circuit.
            settings.DisableHealthChecks = true;
        });
        return builder;
    }

    /// <summary>
    /// Adds the readiness checks of a service that serves requests from the database: it must be connected to a
    /// writable primary, and the schema must be the one this build expects.
    /// </summary>
    public static TBuilder AddVsmenuDataReadinessChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck<DatabaseWritableHealthCheck>("vsmenudb-writable", timeout: CheckTimeout)
            .AddCheck<DatabaseSchemaHealthCheck>("vsmenudb-schema", timeout: CheckTimeout);
        return builder;
    }

    /// <summary>
    /// The AppHost's connection string with Npgsql's automatic preparation on (EF Core sends the same few
    /// parameterized statements over and over, and a prepared statement skips PostgreSQL's parse and plan), the
    /// process's command timeout and pool size, a connection attempt bounded to a few seconds, and no wait for the
    /// server to acknowledge the cancellation of a timed-out command: a server that did not answer the command will not
    /// answer that either, and Npgsql would wait 2 s more for it before giving the connection up. The server ends a
    /// session left idle in a transaction (<see cref="DatabaseOptions.IdleInTransactionTimeout"/>).
    /// A connection goes back to the pool without Npgsql's reset (seven statements the server runs at its next use): EF
    /// takes a connection per query, so an order paid for it four times in the api and more in the worker, and no query
    /// leaves session state behind (settings and advisory locks are the transaction's). The outbox relay's LISTEN does,
    /// so its data source keeps the reset.
    /// </summary>
    public static string TunedConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(DatabaseResourceName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{DatabaseResourceName} is not set; the AppHost passes it to referencing services.");
        var options = DatabaseOptionsOf(configuration);
        var commandTimeout = (int)Math.Ceiling(options.CommandTimeout.TotalSeconds);
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (tuned.MaxAutoPrepare == 0)
        {
            tuned.MaxAutoPrepare = 64;
        }

        tuned.Timeout = Math.Min(tuned.Timeout, ConnectTimeoutSeconds);
        tuned.MaxPoolSize = Math.Min(tuned.MaxPoolSize, options.MaxPoolSize);
        tuned.CommandTimeout = commandTimeout;
        tuned.CancellationTimeout = -1;
        tuned.NoResetOnClose = true;
        tuned.Options = $"{tuned.Options} -c idle_in_transaction_session_timeout={(int)options.IdleInTransactionTimeout.TotalMilliseconds}".TrimStart();

        return tuned.ConnectionString;
    }

    private static DatabaseOptions DatabaseOptionsOf(IConfiguration configuration) =>
        configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();

    internal static DbContextOptionsBuilder ConfigureProvider(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
