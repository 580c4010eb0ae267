using Microsoft.Extensions.Options;
using VSmenu.Queue.Worker;

namespace VSmenu.IntegrationTests.Queue;

/// <summary>A job's side effect (a mail, an SMS) is done once across attempts, and never by two attempts at the same time.</summary>
public sealed class JobStepsTests(TopologyFixture topology)
{
    [Fact]
    public async Task An_attempt_waits_while_another_does_the_step_and_then_skips_it()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var steps = StepsOf(bed, TimeSpan.FromSeconds(30));
        var job = Guid.NewGuid().ToString();
        var effects = 0;
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        var first = steps.RunOnceAsync(job, "mail", async () =>
        {
            Interlocked.Increment(ref effects);
            holding.SetResult();
            await release.Task;
        }, TestContext.Current.CancellationToken);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // The second attempt gives up its wait (its job timed out) without having done the step the first one is doing.
        using var secondGivesUp = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        secondGivesUp.CancelAfter(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => steps.RunOnceAsync(job, "mail", Effect, secondGivesUp.Token));
        var third = steps.RunOnceAsync(job, "mail", Effect, TestContext.Current.CancellationToken);
        release.SetResult();

        Assert.True(await first);
        Assert.False(await third);
        Assert.Equal(1, effects);

        Task Effect()
        {
            Interlocked.Increment(ref effects);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task The_claim_of_an_attempt_killed_mid_step_lapses_and_the_next_attempt_does_the_step()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var claim = TimeSpan.FromMilliseconds(500);
        var steps = StepsOf(bed, claim);
        var job = Guid.NewGuid().ToString();
        Assert.True(await bed.Redis.GetDatabase().LockTakeAsync(bed.Queue.Keys.StepClaim(job, "mail"), "killed attempt", claim));
        var effects = 0;

        var ran = await steps.RunOnceAsync(job, "mail", () => Task.FromResult(Interlocked.Increment(ref effects)), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(ran);
        Assert.Equal(1, effects);
    }

    [Fact]
    public async Task A_step_whose_effect_failed_is_done_by_the_next_attempt_at_once()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var steps = StepsOf(bed, TimeSpan.FromMinutes(5));
        var job = Guid.NewGuid().ToString();

        await Assert.ThrowsAsync<InvalidOperationException>(() => steps.RunOnceAsync(
            job, "mail", () => throw new InvalidOperationException("SMTP refused"), TestContext.Current.CancellationToken));
        var retried = await steps.RunOnceAsync(job, "mail", () => Task.CompletedTask, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(retried);
        Assert.False(await steps.RunOnceAsync(job, "mail", () => Task.CompletedTask, TestContext.Current.CancellationToken));
    }

    private static JobSteps StepsOf(QueueTestBed bed, TimeSpan claim) =>
        new(bed.Redis, bed.Queue, Options.Create(new QueueWorkerOptions { StepClaim = claim }), TimeProvider.System);
}
