using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using VSmenu.Data;

namespace VSmenu.MigrationService;

/// <summary>
/// Brings the database to this build's schema, then stops the process: exit code 0 lets the AppHost start
/// the services that wait for it, anything else keeps them from starting against a wrong schema.
/// </summary>
internal sealed partial class DatabaseMigrator(
    IServiceProvider services,
    IHostApplicationLifetime lifetime,
    ILogger<DatabaseMigrator> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("VSmenu.MigrationService");

    /// <summary>A migration may rewrite a large table; the services' short query timeout is for requests.</summary>
    private static readonly TimeSpan MigrationCommandTimeout = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var activity = ActivitySource.StartActivity("Migrating database");

        try
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VsmenuDbContext>();

            db.Database.SetCommandTimeout(MigrationCommandTimeout);
            var pending = (await db.Database.GetPendingMigrationsAsync(stoppingToken)).ToList();
            await db.Database.MigrateAsync(stoppingToken);
            LogMigrated(pending.Count, string.Join(", ", pending));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            activity?.AddException(exception);
            activity?.SetStatus(ActivityStatusCode.Error);
            LogFailed(exception);
            Environment.ExitCode = 1;
        }

        lifetime.StopApplication();
    }

    [LoggerMessage(LogLevel.Information, "Database is up to date; applied {Count} migration(s): {Migrations}")]
    private partial void LogMigrated(int count, string migrations);

    [LoggerMessage(LogLevel.Critical, "Database migration failed; dependent services will not start")]
    private partial void LogFailed(Exception exception);
}
