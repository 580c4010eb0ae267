using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// One of the worker's slots: takes a job from the queues it has a place in (<see cref="QueueSlots"/>), has the runner
/// run it and ends it as the runner decided. A done job outside any batch is acked in the round trip that takes the
/// slot's next job, while the worker still takes jobs. Idle, it waits for a push (or <see cref="QueueWorkerOptions.Sleep"/>).
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

    /// <summary>A reserved job and the place of its queue that it holds until it ends.</summary>
    private sealed record Taken(Reservation Job, QueueSlots.Held Place);

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
            await GiveBackAsync(next.Job);
            next.Place.End();
        }
    }

    /// <summary>Runs and ends a job; returns the next one, when it was taken with the ack.</summary>
    private async Task<Taken?> RunAsync(Taken taken)
    {
        var (reservation, place) = taken;
        Taken? next = null;
        using (reservation)
        {
            running.Add(reservation);
            try
            {
                using var attempt = await runner.RunAsync(reservation, stop.GiveBack);
                bool? acked = null;
                if (attempt.End is AttemptEnd.Complete { BatchId: null } && stop.TakesAnother())
                {
                    // The place is free before the next claim: the ack and the next reservation are one step.
                    place.End();
                    try
                    {
                        next = await ReserveAsync(async request =>
                        {
                            var (done, reserved) = await store.CompleteAndReserveAsync(reservation, request);
                            acked = done;
                            return reserved;
                        });
                    }
                    catch (Exception exception) when (exception is RedisException or TimeoutException)
                    {
                        // Redis may still run the call it did not answer: the plain ack is safe to repeat, taking a next job is not.
                        acked = null;
                    }
                }

                if (await settlement.SettleAsync(attempt, acked) is AttemptOutcome.Stuck)
                {
                    LogRecycling(running.WorkerId);
                    stop.Recycle();
                }
            }
            finally
            {
                running.Remove(reservation);
                place.End();
            }
        }

        stop.CountProcessed();
        return next;
    }

    /// <summary>
    /// Reserves from the queues with a free place for this slot (none: nothing to reserve from), and holds the place of the
    /// queue the job came from.
    /// </summary>
    private async Task<Taken?> ReserveAsync(Func<ReserveRequest, Task<Reservation?>> reserve)
    {
        var claim = places.ClaimFree();
        Reservation? reserved = null;
        QueueSlots.Held? place = null;
        try
        {
            if (claim.Lists.Count > 0)
            {
                reserved = await reserve(_request with { ReadyLists = claim.Lists });
            }
        }
        finally
        {
            place = claim.Keep(reserved?.Queue);
        }

        if (reserved is null)
        {
            return null;
        }

        running.Add(reserved);
        return new Taken(reserved, place);
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
                running.Remove(reservation);
            }
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
