using VSmenu.Queue;
using VSmenu.QueueTestWorker;

namespace VSmenu.IntegrationTests.Queue;

public sealed class RecurringJobTests(TopologyFixture topology)
{
    [Fact]
    public async Task A_recurring_job_runs_once_per_occurrence_however_many_workers_schedule_it()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        void EverySecond(Microsoft.Extensions.DependencyInjection.IServiceCollection services) =>
            services.AddRecurringJob("tick", "* * * * * *", timeZone: null, occurrence => new RecordJob($"tick-{occurrence.ToUnixTimeSeconds()}", bed.Log));
        var workers = new[] { await bed.StartWorkerAsync(EverySecond), await bed.StartWorkerAsync(EverySecond), await bed.StartWorkerAsync(EverySecond) };

        await bed.WaitForListAsync(bed.Log, 4, TimeSpan.FromSeconds(20));
        foreach (var worker in workers)
        {
            await worker.StopAsync(TestContext.Current.CancellationToken);
        }

        // Three schedulers saw every occurrence; each ran once.
        var runs = await bed.ListAsync(bed.Log);
        Assert.True(runs.Length >= 4);
        Assert.Equal(runs.Length, runs.Distinct().Count());
    }
}
