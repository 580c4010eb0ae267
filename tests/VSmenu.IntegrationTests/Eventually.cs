namespace VSmenu.IntegrationTests;

/// <summary>Waits for a condition that another process makes true, polling until a deadline rather than sleeping a guess.</summary>
public static class Eventually
{
    public static async Task<T> ReturnsAsync<T>(Func<Task<T>> probe, Func<T, bool> done, string description, TimeSpan? patience = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(patience ?? TimeSpan.FromSeconds(30));
        var last = default(T);
        try
        {
            while (true)
            {
                last = await probe();
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Still not {description}; last observed: {last}");
        }
    }
}
