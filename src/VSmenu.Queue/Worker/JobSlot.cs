using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// One of the worker's slots: takes jobs from the queues it has a place in (<see cref="QueueSlots"/>), as many in one round
/// trip as it expects to run within <see cref="QueueWorkerOptions.TakeAhead"/>, has the runner run them one after another
/// and ends each as the runner decided. Done jobs outside any batch are acked in the round trip that takes the slot's next
/// jobs, while the worker still takes jobs. Idle, it waits for a push (or <see cref="QueueWorkerOptions.Sleep"/>).
/// </summary>
internal sealed partial class JobSlot(
    QueueSlots places,
    ReservationStore store,
    JobRunner runner,
    AttemptSettlement settlement,
    RunningReservations running,
    WorkerStop stop,
    WakeSignal wake,
    IOptions<QueueWorkerOptions> workerOptions,
    TimeProvider time,
    ILogger<JobSlot> logger)
{
    private static readonly TimeSpan RedisRetryDelay = TimeSpan.FromSeconds(1);

    private readonly QueueWorkerOptions _options = workerOptions.Value;

    private readonly ReserveRequest _request = new(running.WorkerId, [], TimeSpan.FromSeconds(workerOptions.Value.Timeout), workerOptions.Value.CancellationGrace, workerOptions.Value.MaxLease);

    private readonly TakeAheadSize _size = new(workerOptions.Value.TakeAhead);

    /// <summary>Jobs reserved together, all from one queue, to run in order, and the place of that queue they hold until the last ends.</summary>
    private sealed record Taken(Queue<Reservation> Jobs, QueueSlots.Held Place);

    public async Task RunAsync()
    {
        var idleWait = TimeSpan.FromSeconds(_options.Sleep);
        Taken? next = null;
        while (!stop.Taking.IsCancellationRequested)
        {
            var wakeUp = wake.Next;
            var taken = next;
            next = null;
            try
            {
                taken ??= await ReserveAsync(store.ReserveAsync);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                LogReserveFailed(exception);
                await WaitAsync(Task.Delay(RedisRetryDelay, time, stop.Taking), RedisRetryDelay);
                continue;
            }

            if (taken is null)
            {
                await WaitAsync(wakeUp, idleWait);
                continue;
            }

            next = await RunAsync(taken);
        }

        if (next is not null)
        {
            await GiveBackAsync(next.Jobs);
            next.Place.End();
        }
    }

    /// <summary>Runs and ends the jobs taken together; returns the next ones, when they were taken with the acks.</summary>
    private async Task<Taken?> RunAsync(Taken taken)
    {
        var (jobs, place) = taken;
        var done = new List<AttemptResult>();
        try
        {
            while (jobs.Count > 0)
            {
                if (stop.Taking.IsCancellationRequested)
                {
                    await GiveBackAsync(jobs);
                    break;
                }

                var attempt = await RunOneAsync(jobs.Dequeue(), jobs);
                stop.CountProcessed();
                if (attempt.End is AttemptEnd.Complete { BatchId: null })
                {
                    done.Add(attempt);
                }
                else
                {
                    await SettleAsync(attempt, acked: null);
                }
            }

            // The place is free before the next claim: the acks and the next reservation are one step.
            place.End();
            Taken? next = null;
            IReadOnlyList<bool>? acked = null;
            if (done.Count > 0 && !stop.Taking.IsCancellationRequested)
            {
                try
                {
                    next = await ReserveAsync(async request =>
                    {
                        var (ackedEach, reserved) = await store.CompleteAndReserveAsync([.. done.Select(attempt => attempt.Reservation)], request);
                        acked = ackedEach;
                        return reserved;
                    });
                }
                catch (Exception exception) when (exception is RedisException or TimeoutException)
                {
                    // Redis may still run the call it did not answer: the plain ack is safe to repeat, taking the next jobs is not.
                    acked = null;
                }
            }

            for (var i = 0; i < done.Count; i++)
            {
                await SettleAsync(done[i], acked?[i]);
            }

            done.Clear();
            return next;
        }
        finally
        {
            // Only when something threw: whatever is still held goes back by its lease (the heartbeat no longer renews it).
            foreach (var attempt in done)
            {
                Forget(attempt.Reservation, attempt);
            }

            foreach (var reservation in jobs)
            {
                Forget(reservation, attempt: null);
            }

            place.End();
        }
    }

    /// <summary>
    /// Runs one job; if it runs past <see cref="QueueWorkerOptions.TakenAheadWaitsAtMost"/>, the jobs <paramref name="waiting"/>
    /// behind it are given back for other slots rather than held.
    /// </summary>
    private async Task<AttemptResult> RunOneAsync(Reservation reservation, Queue<Reservation> waiting)
    {
        var started = time.GetTimestamp();
        var run = runner.RunAsync(reservation, stop.GiveBack);
        if (waiting.Count > 0)
        {
            try
            {
                await run.WaitAsync(_options.TakenAheadWaitsAtMost, time);
            }
            catch (TimeoutException)
            {
                await GiveBackAsync(waiting);
            }
        }

        var attempt = await run;
        _size.Record(time.GetElapsedTime(started));
        return attempt;
    }

    private async Task SettleAsync(AttemptResult attempt, bool? acked)
    {
        try
        {
            if (await settlement.SettleAsync(attempt, acked) is AttemptOutcome.Stuck)
            {
                LogRecycling(running.WorkerId);
                stop.Recycle();
            }
        }
        finally
        {
            Forget(attempt.Reservation, attempt);
        }
    }

    /// <summary>The slot is done with a reservation: the heartbeat stops renewing it.</summary>
    private void Forget(Reservation reservation, AttemptResult? attempt)
    {
        attempt?.Dispose();
        running.Remove(reservation);
        reservation.Dispose();
    }

    /// <summary>
    /// Reserves from the queues with a free place for this slot (none: nothing to reserve from), and holds the place of the
    /// queue the jobs came from.
    /// </summary>
    private async Task<Taken?> ReserveAsync(Func<ReserveRequest, Task<IReadOnlyList<Reservation>>> reserve)
    {
        var claim = places.ClaimFree();
        IReadOnlyList<Reservation> reserved = [];
        QueueSlots.Held? place = null;
        try
        {
            if (claim.Lists.Count > 0)
            {
                reserved = await reserve(_request with { ReadyLists = claim.Lists, Count = _size.Next(stop.JobsLeft) });
            }
        }
        finally
        {
            place = claim.Keep(reserved.Count > 0 ? reserved[0].Queue : null);
        }

        if (reserved.Count == 0)
        {
            return null;
        }

        foreach (var reservation in reserved)
        {
            running.Add(reservation);
        }

        return new Taken(new Queue<Reservation>(reserved), place);
    }

    /// <summary>
    /// Returns jobs this slot took but will not run (the worker is stopping, or they waited behind a slow job), attempt and
    /// all, to the head of their lists in the order they were in.
    /// </summary>
    private async Task GiveBackAsync(Queue<Reservation> jobs)
    {
        // Each goes to the head of its list, so the last goes first; the calls share the connection in the order sent.
        var giveBacks = jobs.Reverse().Select(GiveBackAsync).ToList();
        jobs.Clear();
        await Task.WhenAll(giveBacks);
    }

    private async Task GiveBackAsync(Reservation reservation)
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
            Forget(reservation, attempt: null);
        }
    }

    private async Task WaitAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout, time, stop.Taking);
        }
        catch (Exception exception) when (exception is TimeoutException or OperationCanceledException)
        {
            // Time to look again, or to stop.
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reserving a job failed; retrying")]
    private partial void LogReserveFailed(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Giving back {Member} failed; it is taken back when its lease runs out")]
    private partial void LogGiveBackFailed(Exception exception, string member);

    [LoggerMessage(LogLevel.Critical, "Worker {WorkerId} has a job that ignores cancellation: it takes no more jobs and exits to be restarted")]
    private partial void LogRecycling(string workerId);
}
