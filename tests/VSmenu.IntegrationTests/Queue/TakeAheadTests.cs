using VSmenu.Queue;
using VSmenu.QueueTestWorker;

namespace VSmenu.IntegrationTests.Queue;

/// <summary>
/// A slot reserves fast jobs several at a time (<see cref="VSmenu.Queue.Worker.QueueWorkerOptions.TakeAhead"/>): each
/// still runs once and in order, and jobs taken ahead never stay held behind a slow job or a stopping worker.
/// </summary>
public sealed class TakeAheadTests(TopologyFixture topology)
{
    private const int Behind = 4;

    /// <summary>
    /// Pushes a fast job, a slow one and <see cref="Behind"/> fast ones: the slot takes the first alone (it has no run time
    /// to size by yet) and, once it ran fast, the rest in one round trip. Returns the slow job's mark and the ids and marks of
    /// those behind it.
    /// </summary>
    private static async Task<(string Slow, IReadOnlyList<(string Id, string Mark)> Behind)> PushFastSlowFastAsync(QueueTestBed bed, int slowMilliseconds)
    {
        var cancellation = TestContext.Current.CancellationToken;
        await bed.Queue.DispatchAsync(new RecordJob(bed.NewMark(), bed.Log), cancellationToken: cancellation);
        var slow = bed.NewMark();
        await bed.Queue.DispatchAsync(new SlowJob(slow, bed.Log, slowMilliseconds), cancellationToken: cancellation);
        var behind = new List<(string, string)>();
        for (var i = 0; i < Behind; i++)
        {
            var mark = bed.NewMark();
            behind.Add((await bed.Queue.DispatchAsync(new RecordJob(mark, bed.Log), cancellationToken: cancellation), mark));
        }

        return (slow, behind);
    }

    private static (string, string)[] TakingAhead(TimeSpan waitsAtMost) =>
    [
        ("Queue:Worker:Concurrency", "1"),
        // A window no job here comes near: after the first job the slot takes every job there is.
        ("Queue:Worker:TakeAhead", "00:00:10"),
        ("Queue:Worker:TakenAheadWaitsAtMost", waitsAtMost.ToString()),
    ];

    private static async Task<long> ReservedCountAsync(QueueTestBed bed) => await bed.Redis.GetDatabase().SortedSetLengthAsync(bed.Queue.Keys.Reserved);

    [Fact]
    public async Task One_slot_takes_the_jobs_behind_a_fast_one_in_one_round_trip_and_runs_each_once_in_order()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var (slow, behind) = await PushFastSlowFastAsync(bed, slowMilliseconds: 1_500);

        await bed.StartWorkerAsync(TakingAhead(TimeSpan.FromMinutes(1)));
        await bed.WaitForListAsync(slow + ":starts", 1);

        // While the slow job runs, the ones behind it are this slot's already: none is left in the list.
        Assert.Empty(await bed.ListAsync(bed.Queue.Keys.Ready(Queues.Default).ToString()));
        Assert.Equal(1 + Behind, await ReservedCountAsync(bed));
        Assert.Empty(await bed.ListAsync(slow + ":done"));

        var log = await bed.WaitForListAsync(bed.Log, 2 + Behind);
        Assert.Equal([slow, .. behind.Select(job => job.Mark)], log.Skip(1));
        foreach (var (_, mark) in behind)
        {
            Assert.Equal("1", Assert.Single(await bed.ListAsync(mark + ":starts")).Split(':')[0]);
        }

        await Eventually.ReturnsAsync(() => ReservedCountAsync(bed), reserved => reserved == 0, "every job acked");
    }

    [Fact]
    public async Task Jobs_taken_ahead_of_a_slow_one_go_back_to_the_head_of_their_queue_in_order_and_another_worker_runs_them_meanwhile()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var (slow, behind) = await PushFastSlowFastAsync(bed, slowMilliseconds: 6_000);

        await bed.StartWorkerAsync(TakingAhead(TimeSpan.FromMilliseconds(200)));
        await bed.WaitForListAsync(slow + ":starts", 1);

        await Eventually.ReturnsAsync(() => bed.ListAsync(bed.Queue.Keys.Ready(Queues.Default).ToString()),
            ready => ready.SequenceEqual(behind.Select(job => job.Id)), "the jobs behind the slow one given back, in their order");
        await bed.StartWorkerAsync(("Queue:Worker:Concurrency", "1"));

        var log = await bed.WaitForListAsync(bed.Log, 1 + Behind);
        Assert.Equal(behind.Select(job => job.Mark), log.Skip(1));
        Assert.Empty(await bed.ListAsync(slow + ":done"));
        foreach (var (_, mark) in behind)
        {
            // Given back, not tried: the attempt it was taken with is not counted.
            Assert.Equal("1", Assert.Single(await bed.ListAsync(mark + ":starts")).Split(':')[0]);
        }

        await bed.WaitForListAsync(slow + ":done", 1);
    }

    [Fact]
    public async Task SIGTERM_gives_back_the_jobs_taken_ahead_of_the_running_one_in_order_with_their_attempts()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var (slow, behind) = await PushFastSlowFastAsync(bed, slowMilliseconds: 2_000);
        var worker = bed.StartWorkerProcess(TakingAhead(TimeSpan.FromMinutes(1)));
        await bed.WaitForListAsync(slow + ":starts", 1, TimeSpan.FromSeconds(60));
        Assert.Equal(0, await bed.ReadyCountAsync(Queues.Default));

        worker.Terminate();

        Assert.Equal(0, await worker.WaitForExitAsync(TimeSpan.FromSeconds(30)));
        Assert.Single(await bed.ListAsync(slow + ":done"));
        Assert.Equal(behind.Select(job => job.Id), await bed.ListAsync(bed.Queue.Keys.Ready(Queues.Default).ToString()));
        foreach (var (id, mark) in behind)
        {
            Assert.Empty(await bed.ListAsync(mark + ":starts"));
            Assert.Equal(0, (int)await bed.Redis.GetDatabase().HashGetAsync(bed.Queue.Keys.Job(id), "attempts"));
        }

        Assert.Equal(0, await ReservedCountAsync(bed));
    }

    /// <summary>
    /// Two workers of 32 slots each, with the production window, on 2,000 fast jobs: slots take several at a time and race
    /// each other for the same lists, and still every job runs exactly once.
    /// </summary>
    [Fact]
    public async Task Two_workers_of_32_slots_taking_ahead_run_each_of_2000_fast_jobs_exactly_once()
    {
        const int Jobs = 2_000;
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var marks = Enumerable.Range(0, Jobs).Select(_ => bed.NewMark()).ToList();
        foreach (var mark in marks)
        {
            await bed.Queue.DispatchAsync(new RecordJob(mark, bed.Log), cancellationToken: TestContext.Current.CancellationToken);
        }

        await bed.StartWorkerAsync(("Queue:Worker:Concurrency", "32"));
        await bed.StartWorkerAsync(("Queue:Worker:Concurrency", "32"));

        await bed.WaitForListAsync(bed.Log, Jobs, TimeSpan.FromSeconds(60));
        await Eventually.ReturnsAsync(() => ReservedCountAsync(bed), reserved => reserved == 0, "every job acked");
        Assert.Equal(0, await bed.ReadyCountAsync(Queues.Default));
        Assert.Equal(marks.Order(), (await bed.ListAsync(bed.Log)).Order());
    }

    /// <summary>
    /// A high-priority job pushed while a slot holds default jobs taken ahead of its running one runs before them: they go
    /// back to the head of their queue once they have waited <see cref="VSmenu.Queue.Worker.QueueWorkerOptions.TakenAheadWaitsAtMost"/>,
    /// and the slot's next take is by priority again.
    /// </summary>
    [Fact]
    public async Task A_high_priority_job_pushed_while_jobs_wait_taken_ahead_runs_before_them()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var (slow, behind) = await PushFastSlowFastAsync(bed, slowMilliseconds: 1_500);
        await bed.StartWorkerAsync(TakingAhead(TimeSpan.FromMilliseconds(200)));
        await bed.WaitForListAsync(slow + ":starts", 1);
        Assert.Equal(1 + Behind, await ReservedCountAsync(bed));

        var urgent = bed.NewMark();
        await bed.Queue.DispatchAsync(new RecordJob(urgent, bed.Log), JobDispatch.OnQueue(Queues.High), TestContext.Current.CancellationToken);

        var log = await bed.WaitForListAsync(bed.Log, 3 + Behind);
        Assert.Equal([slow, urgent, .. behind.Select(job => job.Mark)], log.Skip(1));
    }

    /// <summary>
    /// A worker killed -9 while jobs it took ahead wait behind its running one: they are taken back like the running job
    /// and each runs once on another worker. They are single-try jobs (the worker's default), and the attempt the dead
    /// worker took them with is forgiven as abandoned, not counted as their one try: none ends in failed jobs unrun.
    /// </summary>
    [Fact]
    public async Task A_worker_killed_holding_jobs_taken_ahead_loses_none_and_each_runs_once_on_another_worker_within_its_single_try()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var (slow, behind) = await PushFastSlowFastAsync(bed, slowMilliseconds: 5_000);
        var doomed = bed.StartWorkerProcess([.. TakingAhead(TimeSpan.FromMinutes(1)), .. QueueTestBed.ShortLeases]);
        await bed.WaitForListAsync(slow + ":starts", 1, TimeSpan.FromSeconds(60));
        Assert.Equal(1 + Behind, await ReservedCountAsync(bed));

        doomed.Process.Kill();
        await doomed.WaitForExitAsync(TimeSpan.FromSeconds(10));
        await bed.StartWorkerAsync([.. QueueTestBed.ShortLeases, ("Queue:Worker:Concurrency", "8")]);

        var log = await bed.WaitForListAsync(bed.Log, 1 + Behind, TimeSpan.FromSeconds(30));
        foreach (var (_, mark) in behind)
        {
            // Attempt 2, in this process: the dead worker's attempt 1 never started, and it did not use up the one try.
            Assert.StartsWith($"2:{Environment.ProcessId}:", Assert.Single(await bed.ListAsync(mark + ":starts")));
            Assert.Single(log, logged => logged == mark);
        }

        Assert.Equal(0, await bed.Redis.GetDatabase().ListLengthAsync(bed.Queue.Keys.Failed));
    }
}
