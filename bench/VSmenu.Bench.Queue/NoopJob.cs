using System.Diagnostics;
using VSmenu.Queue;
using VSmenu.Queue.Worker;

namespace VSmenu.Bench.Queue;

/// <summary>A job that does nothing but say it ran, and when (for dispatch → start latency).</summary>
[Job("bench.noop")]
public sealed record NoopJob(long DispatchedAt) : IJob;

public sealed class NoopCounter
{
    private long _done;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _target = long.MaxValue;

    public List<double> StartLatenciesMs { get; } = [];

    public long Done => Interlocked.Read(ref _done);

    public Task WaitForAsync(long target)
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Interlocked.Exchange(ref _target, target);
        if (Done >= target)
        {
            _reached.TrySetResult();
        }

        return _reached.Task;
    }

    public void Record(long dispatchedAt)
    {
        if (dispatchedAt > 0)
        {
            lock (StartLatenciesMs)
            {
                StartLatenciesMs.Add(Stopwatch.GetElapsedTime(dispatchedAt).TotalMilliseconds);
            }
        }

        if (Interlocked.Increment(ref _done) >= Interlocked.Read(ref _target))
        {
            _reached.TrySetResult();
        }
    }
}

public sealed class NoopHandler(NoopCounter counter) : IJobHandler<NoopJob>
{
    public Task HandleAsync(NoopJob job, JobContext context, CancellationToken cancellationToken)
    {
        counter.Record(job.DispatchedAt);
        return Task.CompletedTask;
    }
}
