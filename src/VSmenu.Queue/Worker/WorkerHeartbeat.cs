using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Proves this worker alive every <see cref="QueueWorkerOptions.Heartbeat"/>: renews the leases of the jobs its slots
/// run, cancels the attempts whose lease another worker took back, and stops taking jobs when a restart signal newer
/// than the process comes. It stops after the slots do (it is registered before <see cref="QueueWorker"/>), so jobs
/// that finish during a shutdown keep their leases.
/// </summary>
internal sealed partial class WorkerHeartbeat(
    ReservationStore store,
    RunningReservations running,
    WorkerStop stop,
    IOptions<QueueWorkerOptions> options,
    TimeProvider time,
    ILogger<WorkerHeartbeat> logger) : BackgroundService
{
    private readonly QueueWorkerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        using var timer = new PeriodicTimer(_options.Heartbeat, time);
        var previous = time.GetTimestamp();
        try
        {
            do
            {
                var gap = time.GetElapsedTime(previous);
                previous = time.GetTimestamp();
                if (gap > _options.Heartbeat * 2)
                {
                    LogHeartbeatLate(gap.TotalMilliseconds, ThreadPool.ThreadCount, ThreadPool.PendingWorkItemCount);
                }

                await BeatAsync(startedAt);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The slots have ended: nothing left to keep alive.
        }
    }

    private async Task BeatAsync(long startedAt)
    {
        try
        {
            var (restartSignal, lost) = await store.HeartbeatAsync(running.WorkerId, _options.HeartbeatLife, running.All);
            foreach (var member in lost)
            {
                if (running.TryGet(member, out var reservation))
                {
                    LogLeaseLost(member);
                    reservation.MarkLost();
                }
            }

            if (restartSignal > startedAt && !stop.Taking.IsCancellationRequested)
            {
                LogRestartSignal(running.WorkerId);
                stop.StopTaking();
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogHeartbeatFailed(exception);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Heartbeat failed; leases expire unless the next one succeeds")]
    private partial void LogHeartbeatFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Heartbeat ran {GapMs:0} ms after the previous one (thread pool: {Threads} threads, {Queued} work items queued)")]
    private partial void LogHeartbeatLate(double gapMs, int threads, long queued);

    [LoggerMessage(LogLevel.Warning, "Lost the lease of {Member}: another worker took the job back; this attempt is cancelled")]
    private partial void LogLeaseLost(string member);

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} received the restart signal: finishing its jobs and exiting")]
    private partial void LogRestartSignal(string workerId);
}
