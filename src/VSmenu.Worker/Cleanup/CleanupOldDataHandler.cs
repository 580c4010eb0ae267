using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VSmenu.Data;
using VSmenu.Data.Jobs;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Cleanup;

/// <summary>The spec's <c>CleanupOldData</c>, across all restaurants: expired tokens, published outbox rows, old failed jobs and idempotency keys past their replay.</summary>
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
        LogCleaned(tokens, messages + jobs, failed, keys);
    }

    [LoggerMessage(LogLevel.Information, "Cleanup deleted {Tokens} expired tokens, {Outbox} outbox rows, {FailedJobs} failed jobs and {IdempotencyKeys} idempotency keys")]
    private partial void LogCleaned(int tokens, int outbox, int failedJobs, int idempotencyKeys);
}
