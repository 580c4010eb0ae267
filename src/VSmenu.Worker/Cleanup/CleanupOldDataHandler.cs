using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VSmenu.Data;
using VSmenu.Data.Jobs;
using VSmenu.Data.Sync;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Cleanup;

/// <summary>The spec's <c>CleanupOldData</c>, across all restaurants: expired tokens, published outbox rows, old failed jobs, idempotency keys past their replay and sync tombstones past their retention.</summary>
public sealed partial class CleanupOldDataHandler(
    VsmenuDbContext db, IOptions<RetentionOptions> retention, TimeProvider time, ILogger<CleanupOldDataHandler> logger) : IJobHandler<CleanupOldData>
{
    public async Task HandleAsync(CleanupOldData job, JobContext context, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var tokens = await db.PersonalAccessTokens.IgnoreQueryFilters()
            .Where(token => token.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var outboxBefore = now - retention.Value.Outbox;
        var messages = await db.OutboxMessages.IgnoreQueryFilters()
            .Where(message => message.PublishedAt < outboxBefore).ExecuteDeleteAsync(cancellationToken);
        var jobs = await db.OutboxJobs.IgnoreQueryFilters()
            .Where(outboxJob => outboxJob.DispatchedAt < outboxBefore).ExecuteDeleteAsync(cancellationToken);
        var failedBefore = now - retention.Value.FailedJobs;
        var failed = await db.FailedJobs.IgnoreQueryFilters().Where(failure => failure.FailedAt < failedBefore).ExecuteDeleteAsync(cancellationToken);
        var keysBefore = now - retention.Value.IdempotencyKeys;
        var keys = await db.IdempotencyRecords.IgnoreQueryFilters().Where(record => record.CreatedAt < keysBefore).ExecuteDeleteAsync(cancellationToken);
        var tombstones = await PurgeTombstonesAsync(now - retention.Value.SyncTombstones, cancellationToken);
        LogCleaned(tokens, messages + jobs, failed, keys, tombstones);
    }

    /// <summary>Deletes old tombstones and raises each restaurant's purged version past them, so that a cursor that may have missed one is refused.</summary>
    private async Task<int> PurgeTombstonesAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        var removed = await db.Database.SqlQuery<int>($"""
            WITH removed AS (
                DELETE FROM sync_changes WHERE op = {SyncOps.Delete} AND changed_at < {before} RETURNING tenant_id, version),
            purged AS (
                UPDATE sync_counters counter SET purged_version = greatest(counter.purged_version, latest.version)
                FROM (SELECT tenant_id, max(version) AS version FROM removed GROUP BY tenant_id) latest
                WHERE counter.tenant_id = latest.tenant_id)
            SELECT count(*)::int AS "Value" FROM removed
            """).ToListAsync(cancellationToken);
        return removed[0];
    }

    [LoggerMessage(LogLevel.Information, "Cleanup deleted {Tokens} expired tokens, {Outbox} outbox rows, {FailedJobs} failed jobs, {IdempotencyKeys} idempotency keys and {SyncTombstones} sync tombstones")]
    private partial void LogCleaned(int tokens, int outbox, int failedJobs, int idempotencyKeys, int syncTombstones);
}
