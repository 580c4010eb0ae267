using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Queue;
using VSmenu.Queue.Worker;
using VSmenu.QueueTestWorker;

namespace VSmenu.IntegrationTests.Queue;

/// <summary>
/// Nothing lost, nothing doubled: leases renewed while a job runs, stale workers fenced off, a killed worker's job
/// finished elsewhere, and workers that stop (SIGTERM, restart signal, a job that ignores cancellation) cleanly.
/// </summary>
public sealed class QueueReliabilityTests(TopologyFixture topology)
{
    /// <summary>How long a heartbeat keeps a worker alive, as the worker passes it to maintenance.</summary>
    private static readonly TimeSpan HeartbeatLife = new QueueWorkerOptions().HeartbeatLife;

    [Fact]
    public async Task A_job_running_far_longer_than_its_lease_keeps_it_by_heartbeat_and_runs_once()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync(QueueTestBed.ShortLeases);
        await bed.StartWorkerAsync(QueueTestBed.ShortLeases);
        var mark = bed.NewMark();

        await bed.Queue.DispatchAsync(new SlowJob(mark, bed.Log, RunMilliseconds: 4_000), cancellationToken: TestContext.Current.CancellationToken);

        await bed.WaitForListAsync(mark + ":done", 1, TimeSpan.FromSeconds(15));
        Assert.Single(await bed.ListAsync(mark + ":starts"));
    }

    [Fact]
    public async Task A_worker_whose_lease_was_taken_back_cannot_end_the_new_owners_attempt()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var store = new ReservationStore(bed.Redis, bed.Queue, Options.Create(new QueueOptions { Prefix = bed.Prefix }), TimeProvider.System);
        var ready = new[] { bed.Queue.Keys.Ready(Queues.Default) };
        var lease = TimeSpan.FromMilliseconds(100);
        await bed.Queue.DispatchAsync(new RecordJob(bed.NewMark(), bed.Log), cancellationToken: TestContext.Current.CancellationToken);

        // Worker "stale" takes the job and never heartbeats: once its lease runs out, maintenance gives the job back.
        var stale = Assert.Single(await store.ReserveAsync(new ReserveRequest("stale", ready, TimeSpan.FromSeconds(1), TimeSpan.Zero, lease)));
        var (reclaimed, _) = await Eventually.ReturnsAsync(() => store.MaintainAsync(10, HeartbeatLife), result => result.Reclaimed == 1, "reclaimed");
        await store.HeartbeatAsync("owner", TimeSpan.FromMinutes(1), []);
        var owner = Assert.Single(await store.ReserveAsync(new ReserveRequest("owner", ready, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(1))));

        Assert.Equal(1, reclaimed);
        Assert.Equal((1, 2), (stale.Attempt, owner.Attempt));
        Assert.Equal(stale.Id, owner.Id);
        Assert.False(await store.CompleteAsync(stale, batchId: null));
        var (staleAcked, staleNext) = await store.CompleteAndReserveAsync([stale], new ReserveRequest("stale", ready, TimeSpan.FromSeconds(1), TimeSpan.Zero, lease));
        Assert.Equal([false], staleAcked);
        Assert.Empty(staleNext);
        Assert.False(await store.ReleaseAsync(stale, Queues.Default, TimeSpan.Zero, refund: true));
        Assert.False(await store.FailAsync(stale, batchId: null, "{}"));
        var (_, lost) = await store.HeartbeatAsync("stale", TimeSpan.FromMinutes(1), [stale]);
        Assert.Equal([stale.Member], lost);
        Assert.True(await store.CompleteAsync(owner, batchId: null));
        Assert.Empty(await bed.ListAsync(bed.Queue.Keys.Failed.ToString()));
    }

    [Fact]
    public async Task A_job_with_one_try_whose_worker_died_under_it_still_runs_on_a_live_worker()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var mark = bed.NewMark();
        await bed.Queue.DispatchAsync(new RecordJob(mark, bed.Log), cancellationToken: TestContext.Current.CancellationToken);

        await AbandonAsync(bed, times: 1);
        await bed.StartWorkerAsync();

        await bed.WaitForListAsync(mark + ":done", 1, TimeSpan.FromSeconds(15));
        Assert.Empty(await bed.ListAsync(mark + ":failed"));
    }

    [Fact]
    public async Task A_job_abandoned_more_often_than_forgiven_uses_up_its_tries_and_is_failed()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var mark = bed.NewMark();
        await bed.Queue.DispatchAsync(new RecordJob(mark, bed.Log), cancellationToken: TestContext.Current.CancellationToken);

        await AbandonAsync(bed, times: new QueueWorkerOptions().AbandonsForgiven + 1);
        await bed.StartWorkerAsync();

        Assert.Equal(["MaxAttemptsExceededException"], await bed.WaitForListAsync(mark + ":failed", 1, TimeSpan.FromSeconds(15)));
        Assert.Empty(await bed.ListAsync(mark + ":starts"));
    }

    /// <summary>Takes the bed's one job <paramref name="times"/> times by workers that die at once, each time until maintenance takes it back.</summary>
    private static async Task AbandonAsync(QueueTestBed bed, int times)
    {
        var store = new ReservationStore(bed.Redis, bed.Queue, Options.Create(new QueueOptions { Prefix = bed.Prefix }), TimeProvider.System);
        for (var death = 0; death < times; death++)
        {
            var dead = new ReserveRequest($"dead-{death}", [bed.Queue.Keys.Ready(Queues.Default)], TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1));
            Assert.Single(await store.ReserveAsync(dead));
            await Eventually.ReturnsAsync(() => store.MaintainAsync(10, HeartbeatLife), result => result.Reclaimed == 1, "taken back from the dead worker");
        }
    }

    [Fact]
    public async Task After_a_gap_in_maintenance_no_lease_is_taken_back_until_live_workers_could_renew_theirs()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var store = new ReservationStore(bed.Redis, bed.Queue, Options.Create(new QueueOptions { Prefix = bed.Prefix }), TimeProvider.System);
        var ready = new[] { bed.Queue.Keys.Ready(Queues.Default) };
        await bed.Queue.DispatchAsync(new RecordJob(bed.NewMark(), bed.Log), cancellationToken: TestContext.Current.CancellationToken);
        var silent = Assert.Single(await store.ReserveAsync(new ReserveRequest("silent", ready, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1))));

        // As after a frozen Redis: the last maintenance, by Redis's clock, was long ago, and every heartbeat looks stale.
        var redisSeconds = (long)((RedisResult[])(await bed.Redis.GetDatabase().ExecuteAsync("TIME"))!)[0];
        await bed.Redis.GetDatabase().StringSetAsync(bed.Queue.Keys.Root + "maintained", (redisSeconds - 60) * 1000);
        Assert.Equal(0, (await store.MaintainAsync(10, HeartbeatLife)).Reclaimed);

        var (reclaimed, _) = await Eventually.ReturnsAsync(() => store.MaintainAsync(10, HeartbeatLife), result => result.Reclaimed == 1, "reclaimed once the grace is over");
        Assert.Equal(1, reclaimed);
        Assert.False(await store.CompleteAsync(silent, batchId: null));
    }

    [Fact]
    public async Task A_reservation_its_worker_does_not_know_it_holds_goes_back_with_its_attempt_at_the_next_heartbeat()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var store = new ReservationStore(bed.Redis, bed.Queue, Options.Create(new QueueOptions { Prefix = bed.Prefix }), TimeProvider.System);
        var ready = new[] { bed.Queue.Keys.Ready(Queues.Default) };
        await bed.Queue.DispatchAsync(new RecordJob(bed.NewMark(), bed.Log), cancellationToken: TestContext.Current.CancellationToken);

        // The answer to this reservation was "lost": the worker lists nothing when it next proves it is alive.
        var orphan = Assert.Single(await store.ReserveAsync(new ReserveRequest("forgetful", ready, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1))));
        await Eventually.ReturnsAsync(async () => (await store.HeartbeatAsync("forgetful", TimeSpan.FromMinutes(1), [])).Lost.Count == 0
            && await bed.ReadyCountAsync(Queues.Default) == 1, done => done, "back in its queue");
        var again = Assert.Single(await store.ReserveAsync(new ReserveRequest("other", ready, TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMinutes(1))));

        Assert.Equal(orphan.Id, again.Id);
        Assert.Equal(1, again.Attempt);
        Assert.True(await store.CompleteAsync(again, batchId: null));
    }

    [Fact]
    public async Task A_live_workers_expired_lease_is_not_taken_back()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var store = new ReservationStore(bed.Redis, bed.Queue, Options.Create(new QueueOptions { Prefix = bed.Prefix }), TimeProvider.System);
        await bed.Queue.DispatchAsync(new RecordJob(bed.NewMark(), bed.Log), cancellationToken: TestContext.Current.CancellationToken);
        await store.HeartbeatAsync("alive", TimeSpan.FromMinutes(1), []);

        var reservation = Assert.Single(await store.ReserveAsync(new ReserveRequest("alive", [bed.Queue.Keys.Ready(Queues.Default)], TimeSpan.FromSeconds(1), TimeSpan.Zero, TimeSpan.FromMilliseconds(1))));
        await Task.Yield();
        var reclaimed = 0;
        for (var pass = 0; pass < 5; pass++)
        {
            reclaimed += (await store.MaintainAsync(10, HeartbeatLife)).Reclaimed;
        }

        Assert.Equal(0, reclaimed);
        Assert.True(await store.CompleteAsync(reservation, batchId: null));
    }

    [Fact]
    public async Task A_job_whose_worker_is_killed_mid_run_completes_on_another_worker_with_the_crash_counted()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var doomed = bed.StartWorkerProcess([.. QueueTestBed.ShortLeases, ("Queue:Worker:MaxLease", "00:00:02")]);
        var mark = bed.NewMark();
        await bed.Queue.DispatchAsync(new SlowJob(mark, bed.Log, RunMilliseconds: 3_000), cancellationToken: TestContext.Current.CancellationToken);
        var first = await bed.WaitForListAsync(mark + ":starts", 1, TimeSpan.FromSeconds(60));
        Assert.StartsWith($"1:{doomed.Process.Id}:", first[0]);

        doomed.Process.Kill();
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await bed.StartWorkerAsync(QueueTestBed.ShortLeases);

        var done = await bed.WaitForListAsync(mark + ":done", 1, TimeSpan.FromSeconds(30));
        Assert.StartsWith($"2:{Environment.ProcessId}:", Assert.Single(done));
        Assert.Equal(2, (await bed.ListAsync(mark + ":starts")).Length);
    }

    [Fact]
    public async Task SIGTERM_lets_the_running_job_finish_leaves_queued_jobs_queued_and_exits_cleanly()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var worker = bed.StartWorkerProcess(("Queue:Worker:Concurrency", "1"));
        var (running, queued) = (bed.NewMark(), bed.NewMark());
        await bed.Queue.DispatchAsync(new SlowJob(running, bed.Log, RunMilliseconds: 2_000), cancellationToken: TestContext.Current.CancellationToken);
        await bed.Queue.DispatchAsync(new RecordJob(queued, bed.Log), cancellationToken: TestContext.Current.CancellationToken);
        await bed.WaitForListAsync(running + ":starts", 1, TimeSpan.FromSeconds(60));

        worker.Terminate();

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(await bed.ListAsync(running + ":done"));
        Assert.Empty(await bed.ListAsync(queued + ":starts"));
        Assert.Equal(1, await bed.ReadyCountAsync(Queues.Default));
    }

    [Fact]
    public async Task The_restart_signal_makes_a_worker_finish_its_job_and_exit()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var worker = bed.StartWorkerProcess(QueueTestBed.ShortLeases);
        var mark = bed.NewMark();
        await bed.Queue.DispatchAsync(new SlowJob(mark, bed.Log, RunMilliseconds: 1_500), cancellationToken: TestContext.Current.CancellationToken);
        await bed.WaitForListAsync(mark + ":starts", 1, TimeSpan.FromSeconds(60));

        await bed.Queue.SignalRestartAsync();

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(await bed.ListAsync(mark + ":done"));
    }

    [Fact]
    public async Task A_job_that_ignores_its_cancellation_is_failed_as_timed_out_and_its_worker_recycles()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var worker = bed.StartWorkerProcess(("Queue:Worker:CancellationGrace", "00:00:01"));
        var mark = bed.NewMark();

        await bed.Queue.DispatchAsync(new TimeoutJob(mark, bed.Log, RunMilliseconds: 8_000, IgnoresCancellation: true), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["JobTimedOutException"], await bed.WaitForListAsync(mark + ":failed", 1, TimeSpan.FromSeconds(60)));
        Assert.Equal(75, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(await bed.ListAsync(bed.Queue.Keys.Failed.ToString()));
    }
}
