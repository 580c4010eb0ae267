using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using VSmenu.Resilience;

namespace VSmenu.Data.Resilience;

/// <summary>
/// This process's circuit on PostgreSQL. Its probe is one <c>SELECT 1</c> on a connection of its own (a pool of one, apart
/// from the requests' pool): a server that is alive answers it at once even while every pooled connection waits on a lock
/// or the pool is busy, and a probe into a hung server holds no connection that requests need once it answers.
/// </summary>
public sealed class DatabaseCircuit : IDisposable
{
    public DatabaseCircuit(ConnectionString connectionString, IOptions<DatabaseOptions> options, TimeProvider time, ILogger<DatabaseCircuit> logger)
    {
        var probeConnection = new NpgsqlConnectionStringBuilder(connectionString.Value) { MaxPoolSize = 1, ApplicationName = "vsmenu-circuit-probe" }.ConnectionString;
        // The probe is not given the breaker's token: cancelling an Npgsql command blocks a thread until the server answers
        // (see FailFastRetryingExecutionStrategy); the breaker stops waiting on a probe that hangs, and it ends by itself.
        Breaker = new DependencyBreaker("PostgreSQL", options.Value.Breaker, async _ =>
        {
            await using var connection = new NpgsqlConnection(probeConnection);
            await connection.OpenAsync(CancellationToken.None);
            await using var ping = new NpgsqlCommand("SELECT 1", connection);
            await ping.ExecuteScalarAsync(CancellationToken.None);
        }, time, logger);
        // A physical connection opened only after the server's handshake: proof it answers, which a connection taken
        // from the pool is not (it opens without a word from the server).
        var dataSource = new NpgsqlDataSourceBuilder(connectionString.Value);
        dataSource.UsePhysicalConnectionInitializer(_ => Breaker.RecordAnswer(), _ =>
        {
            Breaker.RecordAnswer();
            return Task.CompletedTask;
        });
        DataSource = dataSource.Build();
    }

    public DependencyBreaker Breaker { get; }

    /// <summary>The pool of the process's contexts, on the tuned connection string.</summary>
    public NpgsqlDataSource DataSource { get; }

    public void Dispose()
    {
        Breaker.Dispose();
        DataSource.Dispose();
    }

    /// <summary>The tuned connection string the process's contexts use.</summary>
    public sealed record ConnectionString(string Value);
}
