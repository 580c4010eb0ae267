using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VSmenu.Data.Health;

namespace VSmenu.Data;

public static class VsmenuDataExtensions
{
    /// <summary>The Aspire resource (and connection string) name of the application database.</summary>
    public const string DatabaseResourceName = "vsmenudb";

    /// <summary>
    /// Adds <see cref="VsmenuDbContext"/> on the <c>vsmenudb</c> connection that the AppHost passes in, with
    /// Aspire's pooling, retries, tracing and connectivity check.
    /// </summary>
    public static TBuilder AddVsmenuData<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddNpgsqlDbContext<VsmenuDbContext>(DatabaseResourceName, configureDbContextOptions: options => ConfigureProvider(options));
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

    internal static DbContextOptionsBuilder ConfigureProvider(DbContextOptionsBuilder options) =>
        options.UseSnakeCaseNamingConvention();
}
