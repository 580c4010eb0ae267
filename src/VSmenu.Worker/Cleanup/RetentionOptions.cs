namespace VSmenu.Worker.Cleanup;

/// <summary>How long processed records are kept (section <c>Retention</c>) before <c>CleanupOldData</c> deletes them.</summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    /// <summary>Published events and pushed jobs of the outbox: kept a while to trace what went out.</summary>
    public TimeSpan Outbox { get; set; } = TimeSpan.FromDays(7);

    public TimeSpan FailedJobs { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Idempotency keys recorded with the orders they created: as long as Redis replays them (<c>Idempotency:Lifetime</c>).</summary>
    public TimeSpan IdempotencyKeys { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// Tombstones of deleted synced records: a POS terminal offline for longer than this cannot be told what was deleted,
    /// and its next pull answers 410 so that it starts again.
    /// </summary>
    public TimeSpan SyncTombstones { get; set; } = TimeSpan.FromDays(30);
}
