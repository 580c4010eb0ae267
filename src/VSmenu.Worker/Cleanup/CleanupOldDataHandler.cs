using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VSmenu.Data;
using VSmenu.Data.Jobs;
using VSmenu.Data.Sync;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Cleanup;

/// <summary>The spec's <c>CleanupOldData</c>, across all restaurants: expired tokens, published outbox rows, old failed jobs, idempotency keys past their replay, superseded sync changes and sync tombstones past their retention.</summary>
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
        var syncChanges = await PurgeSyncChangesAsync(now - retention.Value.SyncTombstones, cancellationToken);
        LogCleaned(tokens, messages + jobs, failed, keys, syncChanges);
    }

    /// <summary>
    /// Deletes the sync changes a later change of the same record makes needless (a client behind them gets that later
    /// one), and tombstones past their retention, raising each restaurant's purged version past them so that a cursor
    /// that may have missed one is refused.
    /// </summary>
    private async Task<int> PurgeSyncChangesAsync(DateTimeOffset tombstonesBefore, CancellationToken cancellationToken)
    {
        var removed = await db.Database.SqlQuery<int>($"""
            WITH superseded AS (
                DELETE FROM sync_changes old USING sync_changes newer
                WHERE newer.tenant_id = old.tenant_id AND newer.entity = old.entity AND newer.entity_id = old.entity_id
                  AND newer.version > old.version
                RETURNING old.tenant_id),
            tombstones AS (
                DELETE FROM sync_changes WHERE op = {SyncOps.Delete} AND changed_at < {tombstonesBefore} RETURNING tenant_id, version),
            purged AS (
                INSERT INTO sync_purges AS purge (tenant_id, purged_version)
                SELECT tenant_id, max(version) FROM tombstones GROUP BY tenant_id
                ON CONFLICT (tenant_id) DO UPDATE SET purged_version = greatest(purge.purged_version, excluded.purged_version))
            SELECT ((SELECT count(*) FROM superseded) + (SELECT count(*) FROM tombstones))::int AS "Value"
            """).ToListAsync(cancellationToken);
        return removed[0];
    }

    [LoggerMessage(LogLevel.Information, "Cleanup deleted {Tokens} expired tokens, {Outbox} outbox rows, {FailedJobs} failed jobs, {IdempotencyKeys} idempotency keys and {SyncChanges} sync changes")]
    private partial void LogCleaned(int tokens, int outbox, int failedJobs, int idempotencyKeys, int syncChanges);
}
