using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Laravel's <c>queue:work</c> with its gaps closed: <see cref="QueueWorkerOptions.Concurrency"/> slots take jobs by
/// strict priority (<see cref="JobSlot"/>), while <see cref="WorkerHeartbeat"/> renews their leases and
/// <see cref="QueueMaintenance"/> promotes due jobs and takes back those of dead workers. It stops taking jobs on
/// SIGTERM, on a restart signal, after <c>--max-jobs</c> or <c>--max-time</c>, or when a job would not stop; running
/// jobs then finish (or, past the stop timeout, are given back) before the process exits, with code 75 when a job
/// would not stop, so that the supervisor knows why.
/// </summary>
internal sealed partial class QueueWorker(
    IServiceProvider services,
    RunningReservations running,
    WorkerStop stop,
    WakeSignal wake,
    JobQueue queue,
    IOptions<QueueWorkerOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<QueueWorker> logger) : BackgroundService
{
    /// <summary>The exit code of a worker that recycles itself (EX_TEMPFAIL): a job ignored its cancellation.</summary>
    private const int RecycleExitCode = 75;

    private readonly QueueWorkerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var stopping = stoppingToken.Register(stop.Terminate);
        if (_options.MaxTime > 0)
        {
            stop.StopTakingAfter(TimeSpan.FromSeconds(_options.MaxTime));
        }

        ReserveThreadsForSlots();
        var places = new QueueSlots(_options.QueueList, queue.Keys.Ready, _options.Limits, wake.Set);
        LogStarted(running.WorkerId, _options.Queue, _options.Concurrency);
        await Task.WhenAll(Enumerable.Range(0, _options.Concurrency)
            .Select(_ => ActivatorUtilities.CreateInstance<JobSlot>(services, places))
            .Select(slot => Task.Run(slot.RunAsync, CancellationToken.None)));

        LogStopped(running.WorkerId, stop.Processed);
        if (stop.Recycling)
        {
            Environment.ExitCode = RecycleExitCode;
        }

        if (!stoppingToken.IsCancellationRequested)
        {
            // Restart signal, --max-jobs, --max-time or a job that would not stop: exit so the supervisor starts a fresh process.
            lifetime.StopApplication();
        }
    }

    /// <summary>
    /// Lets the thread pool start a thread for every slot at once. Below its minimum (one per core) the pool adds a thread
    /// only every half second or so, and while every thread is taken the heartbeat and Redis's socket completions wait in
    /// its queue: a replica started with 16 slots under load ran its heartbeat 3–5.5 s late, with 4 threads and 25 items
    /// queued, and lost its leases to the other replica.
    /// </summary>
    private void ReserveThreadsForSlots()
    {
        ThreadPool.GetMinThreads(out var workerThreads, out var completionPortThreads);
        var wanted = _options.Concurrency + Environment.ProcessorCount;
        if (workerThreads < wanted)
        {
            ThreadPool.SetMinThreads(wanted, completionPortThreads);
        }
    }

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} serving queues {Queues} with {Concurrency} slots")]
    private partial void LogStarted(string workerId, string queues, int concurrency);

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} stopped after {Processed} jobs")]
    private partial void LogStopped(string workerId, int processed);
}
