using VSmenu.QueueTestWorker;

namespace VSmenu.IntegrationTests.Queue;

/// <summary>Batches: counters, progress and the then/catch/finally jobs, each pushed exactly once.</summary>
public sealed class QueueBatchTests(TopologyFixture topology)
{
    [Fact]
    public async Task A_batch_whose_jobs_succeed_even_after_retries_runs_then_and_finally_once_and_never_catch()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync();
        var (then, @catch, @finally) = (bed.NewMark(), bed.NewMark(), bed.NewMark());
        var jobs = new[] { bed.NewMark(), bed.NewMark(), bed.NewMark() };

        var batchId = await bed.Queue.Batch([new RecordJob(jobs[0], bed.Log), new FlakyJob(jobs[1], bed.Log, FailingAttempts: 1), new RecordJob(jobs[2], bed.Log)])
            .Named("nightly")
            .Then(new RecordJob(then, bed.Log))
            .Catch(new RecordJob(@catch, bed.Log))
            .Finally(new RecordJob(@finally, bed.Log))
            .DispatchAsync();

        await bed.WaitForListAsync(@finally + ":done", 1, TimeSpan.FromSeconds(15));
        var state = await Eventually.ReturnsAsync(() => bed.Queue.FindBatchAsync(batchId), batch => batch?.Finished == true, "finished");
        Assert.Equal(("nightly", 3, 0, 0, 3, 100), (state!.Name, state.TotalJobs, state.PendingJobs, state.FailedJobs, state.ProcessedJobs, state.Progress));
        Assert.Single(await bed.ListAsync(then + ":done"));
        Assert.Equal(2, (await bed.ListAsync(jobs[1] + ":starts")).Length);
        Assert.Empty(await bed.ListAsync(@catch + ":starts"));
        // Everything has settled; the callbacks ran once each.
        Assert.Equal(0, await bed.ReadyCountAsync(VSmenu.Queue.Queues.Default));
        Assert.Single(await bed.ListAsync(@finally + ":starts"));
    }

    [Fact]
    public async Task A_batch_with_a_job_that_fails_for_good_runs_catch_and_finally_once_and_never_then()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await bed.StartWorkerAsync();
        var (then, @catch, @finally) = (bed.NewMark(), bed.NewMark(), bed.NewMark());
        var (good, bad, alsoBad) = (bed.NewMark(), bed.NewMark(), bed.NewMark());

        var batchId = await bed.Queue.Batch([new RecordJob(good, bed.Log), new RecordJob(bad, bed.Log, FailingAttempts: 5), new FlakyJob(alsoBad, bed.Log, FailingAttempts: 5)])
            .Then(new RecordJob(then, bed.Log))
            .Catch(new RecordJob(@catch, bed.Log))
            .Finally(new RecordJob(@finally, bed.Log))
            .DispatchAsync();

        await bed.WaitForListAsync(@finally + ":done", 1, TimeSpan.FromSeconds(15));
        var state = await bed.Queue.FindBatchAsync(batchId);
        Assert.Equal((3, 2, 2, 1, 33, true), (state!.TotalJobs, state.PendingJobs, state.FailedJobs, state.ProcessedJobs, state.Progress, state.Finished));
        Assert.Single(await bed.ListAsync(@catch + ":done"));
        Assert.Single(await bed.ListAsync(@finally + ":starts"));
        Assert.Empty(await bed.ListAsync(then + ":starts"));
        Assert.Equal(3, (await bed.ListAsync(alsoBad + ":starts")).Length);
    }

    [Fact]
    public async Task An_unknown_batch_is_not_found()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);

        Assert.Null(await bed.Queue.FindBatchAsync(Guid.NewGuid().ToString()));
    }
}
