using Microsoft.Extensions.Logging.Abstractions;
using VSmenu.Resilience;

namespace VSmenu.UnitTests.Resilience;

/// <summary>The circuit on a backing store: when it opens, what it refuses, and how its probe closes it.</summary>
public sealed class DependencyBreakerTests
{
    private static readonly TimeoutException Timeout = new("no answer");

    [Fact]
    public void Opens_after_the_failures_in_a_row_it_allows_and_refuses_at_once_while_open()
    {
        var breaker = Create(_ => new TaskCompletionSource().Task);
        breaker.RecordFailure(Timeout);
        breaker.RecordFailure(Timeout);
        breaker.ThrowIfOpen();
        Assert.False(breaker.Opened.IsCancellationRequested);

        breaker.RecordFailure(Timeout);

        Assert.True(breaker.IsOpen);
        Assert.True(breaker.Opened.IsCancellationRequested);
        Assert.Equal("PostgreSQL", Assert.Throws<DependencyUnavailableException>(breaker.ThrowIfOpen).Dependency);
    }

    [Fact]
    public void A_success_between_failures_keeps_it_closed()
    {
        var breaker = Create(_ => Task.CompletedTask);
        breaker.RecordFailure(Timeout);
        breaker.RecordFailure(Timeout);
        breaker.RecordSuccess();
        breaker.RecordFailure(Timeout);
        breaker.RecordFailure(Timeout);

        Assert.False(breaker.IsOpen);
    }

    [Fact]
    public async Task Probes_until_one_succeeds_then_closes_with_a_fresh_opened_token()
    {
        var probes = 0;
        var answering = false;
        var breaker = Create(_ =>
        {
            Interlocked.Increment(ref probes);
            return Volatile.Read(ref answering) ? Task.CompletedTask : Task.FromException(Timeout);
        });
        for (var i = 0; i < 3; i++)
        {
            breaker.RecordFailure(Timeout);
        }

        await WaitUntilAsync(() => Volatile.Read(ref probes) >= 2);
        Assert.True(breaker.IsOpen);
        Volatile.Write(ref answering, true);
        await WaitUntilAsync(() => !breaker.IsOpen);

        Assert.False(breaker.Opened.IsCancellationRequested);
        breaker.ThrowIfOpen();
    }

    [Fact]
    public async Task A_probe_that_hangs_counts_as_failed_after_its_timeout()
    {
        var probes = 0;
        var breaker = Create(_ => Interlocked.Increment(ref probes) == 1 ? new TaskCompletionSource().Task : Task.CompletedTask);
        for (var i = 0; i < 3; i++)
        {
            breaker.RecordFailure(Timeout);
        }

        await WaitUntilAsync(() => !breaker.IsOpen);
        Assert.Equal(2, probes);
    }

    [Fact]
    public async Task Calls_left_unanswered_open_it_once_a_probe_gets_no_answer_either()
    {
        var breaker = CreateWatchingStalls(_ => new TaskCompletionSource().Task);
        breaker.CallStarted();

        await WaitUntilAsync(() => breaker.IsOpen);
        Assert.True(breaker.Opened.IsCancellationRequested);
    }

    [Fact]
    public async Task A_probe_unanswered_while_other_calls_are_answered_leaves_it_closed()
    {
        var probes = 0;
        var probing = new TaskCompletionSource();
        var breaker = CreateWatchingStalls(_ =>
        {
            if (Interlocked.Increment(ref probes) > 1)
            {
                return Task.CompletedTask;
            }

            probing.SetResult();
            return new TaskCompletionSource().Task;
        });
        var opened = breaker.Opened;
        breaker.CallStarted();
        await probing.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // The store answers another call while this process has not read the probe's answer in time.
        breaker.CallStarted();
        breaker.CallEnded(answered: true);

        // The stall watch probes again once the first probe has been judged.
        await WaitUntilAsync(() => Volatile.Read(ref probes) >= 2);
        Assert.False(opened.IsCancellationRequested, "The circuit opened.");
    }

    private static DependencyBreaker CreateWatchingStalls(Func<CancellationToken, Task> probe) => new(
        "PostgreSQL",
        new DependencyBreakerOptions
        {
            StallTimeout = TimeSpan.FromMilliseconds(50),
            ProbeInterval = TimeSpan.FromMilliseconds(10),
            ProbeTimeout = TimeSpan.FromMilliseconds(100),
        },
        probe,
        TimeProvider.System,
        NullLogger.Instance);

    private static DependencyBreaker Create(Func<CancellationToken, Task> probe) => new(
        "PostgreSQL",
        new DependencyBreakerOptions { FailuresToOpen = 3, ProbeInterval = TimeSpan.FromMilliseconds(10), ProbeTimeout = TimeSpan.FromMilliseconds(100) },
        probe,
        TimeProvider.System,
        NullLogger.Instance);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(5, deadline.Token);
        }
    }
}
