namespace VSmenu.Queue.Batches;

/// <summary>
/// A batch being put together. Callbacks are jobs, not closures: they survive a restart, retry like any job, and are
/// pushed exactly once by the script that settles the batch's last job — <c>then</c> when every job succeeded,
/// <c>catch</c> at the first job that failed for good, <c>finally</c> when every job has run.
/// </summary>
public sealed class PendingBatch
{
    private readonly JobQueue _queue;

    internal PendingBatch(JobQueue queue, IReadOnlyList<IJob> jobs)
    {
        _queue = queue;
        Jobs = jobs;
    }

    internal IReadOnlyList<IJob> Jobs { get; }

    internal string? Name { get; private set; }

    internal IJob? ThenJob { get; private set; }

    internal IJob? CatchJob { get; private set; }

    internal IJob? FinallyJob { get; private set; }

    public PendingBatch Named(string name)
    {
        Name = name;
        return this;
    }

    public PendingBatch Then(IJob job)
    {
        ThenJob = job;
        return this;
    }

    public PendingBatch Catch(IJob job)
    {
        CatchJob = job;
        return this;
    }

    public PendingBatch Finally(IJob job)
    {
        FinallyJob = job;
        return this;
    }

    /// <summary>Creates the batch and pushes its jobs atomically; returns the batch id.</summary>
    public Task<string> DispatchAsync() => _queue.DispatchBatchAsync(this);
}
