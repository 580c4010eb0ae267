using System.Diagnostics;

namespace VSmenu.Bench.Realtime;

internal static class Wait
{
    /// <summary>Polls <paramref name="done"/> until it holds, for at most two minutes.</summary>
    public static async Task UntilAsync(Func<bool> done, string what)
    {
        var waited = Stopwatch.StartNew();
        while (!done())
        {
            if (waited.Elapsed > TimeSpan.FromMinutes(2))
            {
                throw new TimeoutException($"Still waiting for {what}.");
            }

            await Task.Delay(20);
        }
    }
}
