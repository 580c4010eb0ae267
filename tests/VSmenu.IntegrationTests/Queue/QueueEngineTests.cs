using VSmenu.Queue;
using VSmenu.QueueTestWorker;

namespace VSmenu.IntegrationTests.Queue;

/// <summary>The engine's rules, on real Redis, with workers in this process.</summary>
public sealed class QueueEngineTests(TopologyFixture topology)
{
    /// <summary>An entry of a test job's <c>:starts</c> or <c>:done</c> list.</summary>
    private sealed record Attempt(int Number, int ProcessId, DateTimeOffset At)
    {
        public static Attempt Parse(string entry)
        {
            var parts = entry.Split(':');
            return new(int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
                DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static Attempt[] Attempts(IEnumerable<string> entries) => entries.Select(Attempt.Parse).ToArray();

    [Fact]
    public async Task Jobs_run_by_strict_priority_high_then_default_then_low()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var expected = new List<string>();
        foreach (var queue in new[] { Queues.Low, Queues.Default, Queues.High })
        {
            for (var i = 0; i < 3; i++)
            {
                await bed.Queue.DispatchAsync(new RecordJob($"{queue}-{i}", bed.Log), JobDispatch.OnQueue(queue), TestContext.Current.CancellationToken);
            }
        }

        await bed.StartWorkerAsync(("Queue:Worker:Concurrency", "1"));

        var order = await bed.WaitForListAsync(bed.Log, 9);
        Assert.Equal(
            ["high-0", "high-1", "high-2", "default-0", "default-1", "default-2", "low-0", "low-1", "low-2"],
            order);
    }

    [Fact]
    public async Task A_failing_job_is_retried_after_its_backoff_and_succeeds()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync();
        var mark = bed.NewMark();

        await bed.Queue.DispatchAsync(new FlakyJob(mark, bed.Log, FailingAttempts: 2), cancellationToken: TestContext.Current.CancellationToken);

        var done = Attempts(await bed.WaitForListAsync(mark + ":done", 1));
        var starts = Attempts(await bed.ListAsync(mark + ":starts"));
        Assert.Equal([1, 2, 3], starts.Select(start => start.Number));
        Assert.Equal(3, Assert.Single(done).Number);
        // Backoff [1, 2]: one second before the second attempt, two before the third.
        Assert.InRange((starts[1].At - starts[0].At).TotalSeconds, 0.95, 2.5);
        Assert.InRange((starts[2].At - starts[1].At).TotalSeconds, 1.95, 3.5);
        Assert.Empty(await bed.ListAsync(mark + ":failed"));
    }

    [Fact]
    public async Task A_job_that_keeps_failing_stops_at_its_tries_calls_its_failed_hook_once_and_is_stored_as_failed()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync();
        var mark = bed.NewMark();

        var uuid = await bed.Queue.DispatchAsync(new FlakyJob(mark, bed.Log, FailingAttempts: 10), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["InvalidOperationException"], await bed.WaitForListAsync(mark + ":failed", 1));
        Assert.Equal([1, 2, 3], Attempts(await bed.ListAsync(mark + ":starts")).Select(start => start.Number));
        var failure = VSmenu.Queue.Worker.FailedJob.FromJson(Assert.Single(await bed.ListAsync(bed.Queue.Keys.Failed.ToString())));
        Assert.Equal(uuid, failure.Uuid);
        Assert.Equal(Queues.Default, failure.Queue);
        Assert.Contains("Planned failure of attempt 3", failure.Exception);
        Assert.Equal("test.flaky", JobEnvelope.FromJson(failure.Payload).Job);
        Assert.False(await bed.Redis.GetDatabase().KeyExistsAsync(bed.Queue.Keys.Job(uuid)));
    }

    [Fact]
    public async Task A_delayed_job_waits_for_its_delay()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync();
        var mark = bed.NewMark();

        var dispatchedAt = DateTimeOffset.UtcNow;
        await bed.Queue.DispatchAsync(new RecordJob(mark, bed.Log), JobDispatch.After(TimeSpan.FromSeconds(1.5)), TestContext.Current.CancellationToken);

        var start = Attempts(await bed.WaitForListAsync(mark + ":starts", 1))[0];
        Assert.InRange((start.At - dispatchedAt).TotalSeconds, 1.45, 4);
    }

    [Fact]
    public async Task A_retry_deadline_wins_over_tries()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync();
        var mark = bed.NewMark();

        // Tries 3, backoff [1, 2]: attempts at about 0, 1, 3 and 5 s, then the one due at 7 s is past the deadline. The
        // envelope keeps the deadline in whole seconds, so it is given as one: 6-7 s away, a second after the last attempt
        // that may run (now + 6.5 s, cut to its second, could land 5.5 s away, and a busy machine's 4th attempt after it).
        var deadline = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.AddSeconds(6).ToUnixTimeSeconds() + 1);
        await bed.Queue.DispatchAsync(
            new FlakyJob(mark, bed.Log, FailingAttempts: 100), new JobDispatch { RetryUntil = deadline }, TestContext.Current.CancellationToken);

        Assert.Equal(["MaxAttemptsExceededException"], await bed.WaitForListAsync(mark + ":failed", 1, TimeSpan.FromSeconds(20)));
        Assert.Equal([1, 2, 3, 4], Attempts(await bed.ListAsync(mark + ":starts")).Select(start => start.Number));
    }

    [Fact]
    public async Task A_job_past_its_timeout_is_cancelled_and_fails_as_timed_out_while_the_worker_goes_on()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync(("Queue:Worker:Concurrency", "1"));
        var slow = bed.NewMark();
        var next = bed.NewMark();

        var uuid = await bed.Queue.DispatchAsync(new TimeoutJob(slow, bed.Log, RunMilliseconds: 20_000, IgnoresCancellation: false), cancellationToken: TestContext.Current.CancellationToken);
        await bed.Queue.DispatchAsync(new RecordJob(next, bed.Log), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(["JobTimedOutException"], await bed.WaitForListAsync(slow + ":failed", 1, TimeSpan.FromSeconds(10)));
        Assert.Equal([next], await bed.WaitForListAsync(bed.Log, 1));
        Assert.Empty(await bed.ListAsync(slow + ":done"));
        var failure = VSmenu.Queue.Worker.FailedJob.FromJson(Assert.Single(await bed.ListAsync(bed.Queue.Keys.Failed.ToString())));
        Assert.Equal(uuid, failure.Uuid);
        Assert.Contains("timed out after 1 s", failure.Exception);
    }

    [Fact]
    public async Task An_idle_worker_wakes_when_a_job_is_pushed_not_at_its_next_poll()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync(("Queue:Worker:Sleep", "60"));
        var warmUp = bed.NewMark();
        await bed.Queue.DispatchAsync(new RecordJob(warmUp, bed.Log), cancellationToken: TestContext.Current.CancellationToken);
        await bed.WaitForListAsync(warmUp + ":done", 1);
        var mark = bed.NewMark();

        await bed.Queue.DispatchAsync(new RecordJob(mark, bed.Log), cancellationToken: TestContext.Current.CancellationToken);

        // The slots are idle with a 60 s poll: only the wake-up can start the job within the patience.
        await bed.WaitForListAsync(mark + ":done", 1, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task DispatchIf_pushes_only_when_the_condition_holds()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);

        var skipped = await bed.Queue.DispatchIfAsync(false, new RecordJob(bed.NewMark(), bed.Log), cancellationToken: TestContext.Current.CancellationToken);
        var pushed = await bed.Queue.DispatchIfAsync(true, new RecordJob(bed.NewMark(), bed.Log), cancellationToken: TestContext.Current.CancellationToken);

        Assert.Null(skipped);
        Assert.NotNull(pushed);
        Assert.Equal(1, await bed.ReadyCountAsync(Queues.Default));
    }

    [Fact]
    public async Task A_push_repeated_with_deduplication_adds_no_second_job()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var envelope = bed.Queue.Describe(new RecordJob(bed.NewMark(), bed.Log));

        var first = await bed.Queue.PushAsync(envelope, TimeSpan.Zero, deduplicate: true);
        var second = await bed.Queue.PushAsync(envelope, TimeSpan.Zero, deduplicate: true);

        Assert.True(first);
        Assert.False(second);
        Assert.Equal(1, await bed.ReadyCountAsync(Queues.Default));
    }

    [Fact]
    public async Task DispatchSync_runs_the_job_here_and_a_failure_calls_its_failed_hook_and_is_rethrown()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        using var host = VSmenu.QueueTestWorker.TestWorkerHost.Build([], new Dictionary<string, string?> { ["ConnectionStrings:redis"] = bed.ConnectionString, ["Queue:Prefix"] = bed.Prefix });
        var dispatcher = (VSmenu.Queue.Worker.SyncDispatcher)host.Services.GetService(typeof(VSmenu.Queue.Worker.SyncDispatcher))!;
        var ok = bed.NewMark();
        var failing = bed.NewMark();

        await dispatcher.DispatchSyncAsync(new RecordJob(ok, bed.Log), TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            dispatcher.DispatchSyncAsync(new RecordJob(failing, bed.Log, FailingAttempts: 1), TestContext.Current.CancellationToken));

        Assert.Single(await bed.ListAsync(ok + ":done"));
        Assert.Equal(["InvalidOperationException"], await bed.ListAsync(failing + ":failed"));
        Assert.Equal(0, await bed.ReadyCountAsync(Queues.Default));
    }
}
