using Microsoft.Extensions.Options;

namespace VSmenu.Queue.Worker;

/// <summary>
/// When this worker stops taking jobs (SIGTERM, the restart signal, <c>--max-jobs</c>, <c>--max-time</c>, a job that
/// would not stop) and when its running jobs must be given back (<see cref="QueueWorkerOptions.StopTimeout"/> after
/// SIGTERM): what the slots, the heartbeat and the worker's host agree on.
/// </summary>
internal sealed class WorkerStop(IOptions<QueueWorkerOptions> options) : IDisposable
{
    private readonly QueueWorkerOptions _options = options.Value;
    private readonly CancellationTokenSource _taking = new();
    private readonly CancellationTokenSource _giveBack = new();
    private int _processed;

    /// <summary>Cancelled when the worker takes no more jobs.</summary>
    public CancellationToken Taking => _taking.Token;

    /// <summary>Cancelled when running jobs must stop and be given back.</summary>
    public CancellationToken GiveBack => _giveBack.Token;

    /// <summary>A job ignored its cancellation: the process must exit to be restarted, whatever else stopped it.</summary>
    public bool Recycling { get; private set; }

    public int Processed => Volatile.Read(ref _processed);

    public void StopTaking() => _taking.Cancel();

    /// <summary>SIGTERM: no more jobs, and those running are given back if they have not finished within the stop timeout.</summary>
    public void Terminate()
    {
        _taking.Cancel();
        _giveBack.CancelAfter(_options.StopTimeout);
    }

    public void StopTakingAfter(TimeSpan maxTime) => _taking.CancelAfter(maxTime);

    public void Recycle()
    {
        Recycling = true;
        _taking.Cancel();
    }

    /// <summary>How many more jobs this worker may run before <c>--max-jobs</c> stops it.</summary>
    public int JobsLeft => _options.MaxJobs == 0 ? int.MaxValue : Math.Max(0, _options.MaxJobs - Processed);

    /// <summary>Counts a job a slot ran; the worker stops taking jobs at <c>--max-jobs</c>.</summary>
    public void CountProcessed()
    {
        if (Interlocked.Increment(ref _processed) >= _options.MaxJobs && _options.MaxJobs > 0)
        {
            _taking.Cancel();
        }
    }

    public void Dispose()
    {
        _taking.Dispose();
        _giveBack.Dispose();
    }
}
