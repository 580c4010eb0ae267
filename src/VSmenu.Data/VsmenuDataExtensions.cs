using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using VSmenu.Data.Health;
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

    /// <summary>No request-path query takes seconds; one that does is stuck, and holds a pooled connection.</summary>
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(10);

    /// <summary>A server that does not accept a connection within this is down for the caller (Npgsql waits 15 s).</summary>
    private const int ConnectTimeoutSeconds = 3;

    /// <summary>
    /// Adds <see cref="VsmenuDbContext"/> on the <c>vsmenudb</c> connection that the AppHost passes in, with
    /// Aspire's retries, tracing and connectivity check, and the per-scope <see cref="CurrentTenant"/> it filters on.
    /// </summary>
    /// <remarks>
    /// Not pooled: a pooled context cannot take the scoped tenant, and Npgsql pools the connections that matter.
    /// </remarks>
    public static TBuilder AddVsmenuData<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var connectionString = TunedConnectionString(builder.Configuration);

        builder.Services.AddScoped<CurrentTenant>();
        builder.Services.AddDbContext<VsmenuDbContext>(options => ConfigureProvider(options.UseNpgsql(
            connectionString,
            npgsql => npgsql.EnableRetryOnFailure(MaxRetries, MaxRetryDelay, errorCodesToAdd: null))));
        builder.EnrichNpgsqlDbContext<VsmenuDbContext>(settings =>
        {
            // Aspire's own strategy retries for half a minute: a request would hang that long with the database down.
            settings.DisableRetry = true;
            settings.CommandTimeout = (int)CommandTimeout.TotalSeconds;
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
            .AddCheck<DatabaseWritableHealthCheck>("vsmenudb-writable")
            .AddCheck<DatabaseSchemaHealthCheck>("vsmenudb-schema");
        return builder;
    }

    /// <summary>
    /// The AppHost's connection string with Npgsql's automatic preparation on (EF Core sends the same few
    /// parameterized statements over and over, and a prepared statement skips PostgreSQL's parse and plan) and a
    /// connection attempt bounded to a few seconds.
    /// </summary>
    public static string TunedConnectionString(IConfiguration configuration)
    {
        var connectionString = configuration.GetConnectionString(DatabaseResourceName)
            ?? throw new InvalidOperationException($"ConnectionStrings:{DatabaseResourceName} is not set; the AppHost passes it to referencing services.");
        var tuned = new NpgsqlConnectionStringBuilder(connectionString);
        if (tuned.MaxAutoPrepare == 0)
        {
            tuned.MaxAutoPrepare = 64;
        }

        tuned.Timeout = Math.Min(tuned.Timeout, ConnectTimeoutSeconds);

        return tuned.ConnectionString;
    }

    internal static DbContextOptionsBuilder ConfigureProvider(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
