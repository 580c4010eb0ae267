namespace VSmenu.IntegrationTests;

/// <summary>
/// Waits for a condition that another process makes true, polling until a deadline rather than sleeping a guess. The
/// pause between probes grows to a second (a tenth of a short patience, so what it times stays precise), and a probe
/// through the api thus stays within its per-user request limit however long the wait.
/// </summary>
public static class Eventually
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromMilliseconds(50);

    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(1);

    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string description, TimeSpan? patience = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var wait = patience ?? TimeSpan.FromSeconds(30);
        deadline.CancelAfter(wait);
        var longestPause = TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, wait.Ticks / 10));
        var last = default(T);
        var pause = FirstPause;
        try
        {
            while (true)
            {
                last = await probe();
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(pause, deadline.Token);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 3 / 2, longestPause.Ticks));
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Still not {description}; last observed: {last}");
        }
    }
}
