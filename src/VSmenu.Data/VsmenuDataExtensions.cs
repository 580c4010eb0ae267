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
        builder.Services.AddDbContext<VsmenuDbContext>(options => ConfigureProvider(options.UseNpgsql(connectionString)));
        builder.EnrichNpgsqlDbContext<VsmenuDbContext>();
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
    /// The AppHost's connection string with Npgsql's automatic preparation on: EF Core sends the same few
    /// parameterized statements over and over, and a prepared statement skips PostgreSQL's parse and plan.
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

        return tuned.ConnectionString;
    }

    internal static DbContextOptionsBuilder ConfigureProvider(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
