using StackExchange.Redis;

namespace VSmenu.Queue.Batches;

/// <summary>A batch's counters as Laravel's <c>job_batches</c> row has them, and its progress.</summary>
public sealed record BatchState(
    string Id, string? Name, int TotalJobs, int PendingJobs, int FailedJobs, DateTimeOffset CreatedAt, DateTimeOffset? FinishedAt)
{
    public int ProcessedJobs => TotalJobs - PendingJobs;

    /// <summary>Percent of the jobs that succeeded, as Laravel's <c>progress()</c>.</summary>
    public int Progress => TotalJobs == 0 ? 0 : ProcessedJobs * 100 / TotalJobs;

    /// <summary>Every job has run: succeeded or failed for good.</summary>
    public bool Finished => FinishedAt is not null;

    public bool HasFailures => FailedJobs > 0;

    internal static BatchState From(IReadOnlyDictionary<string, RedisValue> fields) => new(
        (string)fields["id"]!,
        fields.TryGetValue("name", out var name) && !name.IsNullOrEmpty ? (string)name! : null,
        (int)fields["total"],
        (int)fields["pending"],
        (int)fields["failed"],
        DateTimeOffset.FromUnixTimeMilliseconds((long)fields["created_at"]),
        fields.TryGetValue("finished_at", out var finished) ? DateTimeOffset.FromUnixTimeMilliseconds((long)finished) : null);
}
