using Npgsql;
using StackExchange.Redis;
using VSmenu.Queue;
using VSmenu.Queue.Worker;
using VSmenu.Worker.Mail;

namespace VSmenu.Worker.FailedJobs;

/// <summary>
/// Moves failures from the queue's Redis list (where the settle script put them, atomically with the job's end) into
/// PostgreSQL's <c>failed_jobs</c>, oldest first, and mails the admin once per failed job. An entry leaves Redis only
/// after its row is committed; the uuid's unique index makes a repeat (another replica, a crash in between) a no-op,
/// and only the insert that created the row sends the alert.
/// </summary>
internal sealed partial class FailedJobRecorder(
    NpgsqlDataSource dataSource, IConnectionMultiplexer redis, JobQueue queue, Mailer mailer, ILogger<FailedJobRecorder> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = PollInterval;
            try
            {
                if (await RecordBatchAsync(stoppingToken) == BatchSize)
                {
                    wait = TimeSpan.Zero;
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or NpgsqlException)
            {
                LogRecordingFailed(exception);
                wait = RetryDelay;
            }

            await Task.Delay(wait, stoppingToken);
        }
    }

    private async Task<int> RecordBatchAsync(CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        // LPUSH puts the newest first: the tail holds the oldest.
        var entries = await database.ListRangeAsync(queue.Keys.Failed, -BatchSize, -1);
        foreach (var entry in entries.Reverse())
        {
            var failure = FailedJob.FromJson(entry!);
            if (await InsertAsync(failure, cancellationToken))
            {
                await AlertAsync(failure, cancellationToken);
            }

            await database.ListRemoveAsync(queue.Keys.Failed, entry, count: -1);
        }

        return entries.Length;
    }

    private async Task<bool> InsertAsync(FailedJob failure, CancellationToken cancellationToken)
    {
        await using var insert = dataSource.CreateCommand("""
            INSERT INTO failed_jobs (uuid, connection, queue, payload, exception, failed_at, tenant_id)
            VALUES ($1, 'redis', $2, $3, $4, $5, $6)
            ON CONFLICT (uuid) DO NOTHING
            """);
        insert.Parameters.Add(new NpgsqlParameter<Guid> { TypedValue = Guid.Parse(failure.Uuid) });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = failure.Queue });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = failure.Payload });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = failure.Exception });
        insert.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = failure.FailedAt });
        insert.Parameters.Add(new NpgsqlParameter { Value = (object?)failure.TenantId ?? DBNull.Value });
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>The spec's <c>JobFailedMail</c> to the admin. Best effort: a mail server outage must not hold failures in Redis.</summary>
    private async Task AlertAsync(FailedJob failure, CancellationToken cancellationToken)
    {
        var job = JobEnvelope.FromJson(failure.Payload).Job;
        try
        {
            await mailer.SendToAdminAsync(
                $"[VSmenu] Job {job} {failure.Uuid} falhou",
                $"Job {job} ({failure.Uuid}) na fila {failure.Queue} falhou definitivamente em {failure.FailedAt:u}"
                + (failure.TenantId is { } tenant ? $" (restaurante {tenant})" : "") + $".\n\n{failure.Exception}",
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogAlertFailed(exception, failure.Uuid);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Storing failed jobs in PostgreSQL failed; retrying")]
    private partial void LogRecordingFailed(Exception exception);

    [LoggerMessage(LogLevel.Error, "The admin alert for failed job {JobId} could not be sent")]
    private partial void LogAlertFailed(Exception exception, string jobId);
}
