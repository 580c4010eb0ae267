using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Laravel's <c>queue:work</c> with its gaps closed: <see cref="QueueWorkerOptions.Concurrency"/> slots take jobs by
/// strict priority, a heartbeat renews the leases of running jobs, and a maintenance loop promotes due jobs and
/// takes back those of dead workers. Idle slots wake on a pub/sub message the moment a job is pushed. It stops
/// taking jobs on SIGTERM, on a restart signal, after <c>--max-jobs</c> or <c>--max-time</c>, or when a job would not
/// stop; running jobs then finish (or, past the stop timeout, are given back) before the process exits.
/// </summary>
internal sealed partial class QueueWorker(
    ReservationStore store,
    JobRunner runner,
    IConnectionMultiplexer redis,
    JobQueue queue,
    IOptions<QueueWorkerOptions> options,
    IHostApplicationLifetime lifetime,
    TimeProvider time,
    ILogger<QueueWorker> logger) : BackgroundService
{
    private static readonly TimeSpan MaintenanceInterval = TimeSpan.FromMilliseconds(500);
    private static readonly TimeSpan SizesInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RedisRetryDelay = TimeSpan.FromSeconds(1);
    private const int MaintenanceBatch = 200;

    private readonly QueueWorkerOptions _options = options.Value;
    private readonly ConcurrentDictionary<string, Reservation> _running = new();
    private readonly WakeSignal _wake = new();
    private readonly CancellationTokenSource _stopTaking = new();
    private readonly CancellationTokenSource _giveBack = new();
    private int _processed;
    private bool _subscribed;

    /// <summary>This process's name in the <c>workers</c> set and in every reservation it holds.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var startedAt = time.GetUtcNow().ToUnixTimeMilliseconds();
        await using var stopping = stoppingToken.Register(() =>
        {
            _stopTaking.Cancel();
            _giveBack.CancelAfter(_options.StopTimeout);
        });
        if (_options.MaxTime > 0)
        {
            _stopTaking.CancelAfter(TimeSpan.FromSeconds(_options.MaxTime));
        }

        ReserveThreadsForSlots();
        var slots = new QueueSlots(_options.QueueList, queue.Keys.Ready, _options.Limits, _wake.Set);
        LogStarted(WorkerId, _options.Queue, _options.Concurrency);
        await SubscribeAsync();

        using var background = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(startedAt, background.Token);
        var maintenance = MaintainAsync(background.Token);
        await Task.WhenAll(Enumerable.Range(0, _options.Concurrency).Select(_ => Task.Run(() => TakeJobsAsync(slots), CancellationToken.None)));

        await background.CancelAsync();
        await Task.WhenAll(heartbeat, maintenance);
        if (_subscribed)
        {
            await redis.GetSubscriber().UnsubscribeAsync(queue.Keys.Wake);
        }

        LogStopped(WorkerId, _processed);
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

    private async Task SubscribeAsync()
    {
        try
        {
            await redis.GetSubscriber().SubscribeAsync(queue.Keys.Wake, (_, _) => _wake.Set());
            _subscribed = true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogSubscribeFailed(exception);
        }
    }

    private async Task TakeJobsAsync(QueueSlots slots)
    {
        var idleWait = TimeSpan.FromSeconds(_options.Sleep);
        var request = new ReserveRequest(WorkerId, [], TimeSpan.FromSeconds(_options.Timeout), _options.CancellationGrace, _options.MaxLease);
        Reservation? next = null;
        QueueSlots.Held? nextPlace = null;
        QueueSlots.Held? place = null;

        // Reserves from the queues with a free place for this slot (none: nothing to reserve from), and holds the place of
        // the queue the job came from.
        async Task<Reservation?> ReserveAsync(Func<ReserveRequest, Task<Reservation?>> reserve, Func<Task>? whenNoneFree = null)
        {
            var claim = slots.ClaimFree();
            Reservation? reserved = null;
            try
            {
                if (claim.Lists.Count > 0)
                {
                    reserved = await reserve(request with { ReadyLists = claim.Lists });
                }
                else if (whenNoneFree is not null)
                {
                    await whenNoneFree();
                }
            }
            finally
            {
                nextPlace = claim.Keep(reserved?.Queue);
            }

            return reserved;
        }

        // A done job is acked in the round trip that takes the next one, unless this slot should take no more. Its place
        // is free before the next claim: the ack and the next reservation are one step.
        async Task<bool> CompleteAndTakeNextAsync(Reservation done)
        {
            place?.End();
            var acked = false;
            next = await ReserveAsync(
                async withLists =>
                {
                    Reservation? taken;
                    (acked, taken) = await store.CompleteAndReserveAsync(done, withLists);
                    return taken;
                },
                whenNoneFree: async () => acked = await store.CompleteAsync(done, batchId: null));
            if (next is not null)
            {
                _running[next.Member] = next;
            }

            return acked;
        }

        while (true)
        {
            if (_stopTaking.IsCancellationRequested)
            {
                if (next is not null)
                {
                    await GiveBackAsync(next);
                    nextPlace?.End();
                }

                return;
            }

            var wake = _wake.Next;
            Reservation? reservation = next;
            place = reservation is null ? null : nextPlace;
            next = null;
            try
            {
                if (reservation is null)
                {
                    reservation = await ReserveAsync(store.ReserveAsync);
                    place = nextPlace;
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogReserveFailed(exception);
                await WaitAsync(Task.Delay(RedisRetryDelay, time, _stopTaking.Token), RedisRetryDelay);
                continue;
            }

            if (reservation is null)
            {
                await WaitAsync(wake, idleWait);
                continue;
            }

            using (reservation)
            {
                _running[reservation.Member] = reservation;
                try
                {
                    var takeNext = !_stopTaking.IsCancellationRequested && (_options.MaxJobs == 0 || Volatile.Read(ref _processed) + 1 < _options.MaxJobs);
                    var outcome = await runner.RunAsync(reservation, _giveBack.Token, takeNext ? CompleteAndTakeNextAsync : null);
                    if (outcome is AttemptOutcome.Stuck)
                    {
                        LogRecycling(WorkerId);
                        Environment.ExitCode = 75;
                        await _stopTaking.CancelAsync();
                    }
                }
                finally
                {
                    _running.TryRemove(reservation.Member, out _);
                    place?.End();
                }
            }

            if (_options.MaxJobs > 0 && Interlocked.Increment(ref _processed) >= _options.MaxJobs)
            {
                await _stopTaking.CancelAsync();
            }
        }
    }

    /// <summary>Returns a job this slot took just as the worker began to stop, attempt and all, to the head of the line.</summary>
    private async Task GiveBackAsync(Reservation reservation)
    {
        using (reservation)
        {
            try
            {
                await store.ReleaseAsync(reservation, JobEnvelope.FromJson(reservation.Payload).Queue, TimeSpan.Zero, refund: true);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException or System.Text.Json.JsonException)
            {
                // Its lease runs out once this worker's heartbeat stops, and it is taken back then.
                LogGiveBackFailed(exception, reservation.Member);
            }
            finally
            {
                _running.TryRemove(reservation.Member, out _);
            }
        }
    }

    private async Task WaitAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, time, _stopTaking.Token);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // Time to look again, or to stop.
        }
    }

    private async Task HeartbeatAsync(long startedAt, CancellationToken cancellationToken)
    {
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

                try
                {
                    var (restartSignal, lost) = await store.HeartbeatAsync(WorkerId, _options.HeartbeatLife, _running.Values.ToList());
                    foreach (var member in lost)
                    {
                        if (_running.TryGetValue(member, out var reservation))
                        {
                            LogLeaseLost(member);
                            reservation.MarkLost();
                        }
                    }

                    if (restartSignal > startedAt && !_stopTaking.IsCancellationRequested)
                    {
                        LogRestartSignal(WorkerId);
                        await _stopTaking.CancelAsync();
                    }
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    LogHeartbeatFailed(exception);
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Every slot has ended: nothing left to keep alive.
        }
    }

    private async Task MaintainAsync(CancellationToken cancellationToken)
    {
        var sizesDue = DateTimeOffset.MinValue;
        while (!cancellationToken.IsCancellationRequested)
        {
            var wait = MaintenanceInterval;
            try
            {
                if (!_subscribed)
                {
                    await SubscribeAsync();
                }

                var (reclaimed, nextDue) = await store.MaintainAsync(MaintenanceBatch, _options.HeartbeatLife);
                if (reclaimed > 0)
                {
                    LogReclaimed(reclaimed);
                    QueueTelemetry.RecordReclaimed(reclaimed);
                }

                if (nextDue > 0)
                {
                    var untilDue = TimeSpan.FromMilliseconds(nextDue - time.GetUtcNow().ToUnixTimeMilliseconds());
                    wait = untilDue < TimeSpan.FromMilliseconds(10) ? TimeSpan.FromMilliseconds(10) : untilDue < wait ? untilDue : wait;
                }

                if (time.GetUtcNow() >= sizesDue)
                {
                    QueueTelemetry.RecordSizes(await queue.SizesAsync(_options.QueueList));
                    sizesDue = time.GetUtcNow() + SizesInterval;
                }
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogMaintenanceFailed(exception);
                wait = RedisRetryDelay;
            }

            try
            {
                await Task.Delay(wait, time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public override void Dispose()
    {
        _stopTaking.Dispose();
        _giveBack.Dispose();
        base.Dispose();
    }

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} serving queues {Queues} with {Concurrency} slots")]
    private partial void LogStarted(string workerId, string queues, int concurrency);

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} stopped after {Processed} jobs")]
    private partial void LogStopped(string workerId, int processed);

    [LoggerMessage(LogLevel.Warning, "Subscribing to queue wake-ups failed; idle slots poll until it succeeds")]
    private partial void LogSubscribeFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Reserving a job failed; retrying")]
    private partial void LogReserveFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Giving back {Member} failed; it is taken back when its lease runs out")]
    private partial void LogGiveBackFailed(Exception exception, string member);

    [LoggerMessage(LogLevel.Warning, "Heartbeat failed; leases expire unless the next one succeeds")]
    private partial void LogHeartbeatFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Heartbeat ran {GapMs:0} ms after the previous one (thread pool: {Threads} threads, {Queued} work items queued)")]
    private partial void LogHeartbeatLate(double gapMs, int threads, long queued);

    [LoggerMessage(LogLevel.Warning, "Queue maintenance failed; retrying")]
    private partial void LogMaintenanceFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Lost the lease of {Member}: another worker took the job back; this attempt is cancelled")]
    private partial void LogLeaseLost(string member);

    [LoggerMessage(LogLevel.Warning, "Took back {Count} jobs of workers whose heartbeat died")]
    private partial void LogReclaimed(int count);

    [LoggerMessage(LogLevel.Information, "Worker {WorkerId} received the restart signal: finishing its jobs and exiting")]
    private partial void LogRestartSignal(string workerId);

    [LoggerMessage(LogLevel.Critical, "Worker {WorkerId} has a job that ignores cancellation: it takes no more jobs and exits to be restarted")]
    private partial void LogRecycling(string workerId);
}
