using System.Diagnostics;

namespace VSmenu.Bench.Api;

/// <summary>Closed-loop load: <c>clients</c> callers, each sending its next request when the last one answers.</summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, Func<int, Task<bool>> request)
    {
        var latencies = new List<double>[clients];
        var failures = 0;
        var stopwatch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async client =>
        {
            var mine = latencies[client] = [];
            while (stopwatch.Elapsed < duration)
            {
                var started = Stopwatch.GetTimestamp();
                var succeeded = await request(client);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!succeeded)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        var elapsed = stopwatch.Elapsed;
        var all = latencies.SelectMany(list => list).Order().ToArray();
        return new LoadResult(all.Length / elapsed.TotalSeconds, Percentiles.Of(all, 0.50), Percentiles.Of(all, 0.99), all.Length, failures);
    }
}

/// <summary>
/// Open-loop load: requests started at a fixed rate whether or not the earlier ones have answered, as independent users
/// send them, so a slow answer cannot slow the load down and hide itself (closed loops measure at saturation).
/// </summary>
internal static class FixedRateRun
{
    public static async Task<LoadResult> RunAsync(double perSecond, TimeSpan duration, Func<int, Task<bool>> request)
    {
        var latencies = new System.Collections.Concurrent.ConcurrentBag<double>();
        var failures = 0;
        var interval = TimeSpan.FromSeconds(1 / perSecond);
        var stopwatch = Stopwatch.StartNew();
        var inFlight = new List<Task>();
        for (var sent = 0; stopwatch.Elapsed < duration; sent++)
        {
            var due = interval * sent;
            if (due > stopwatch.Elapsed)
            {
                await Task.Delay(due - stopwatch.Elapsed);
            }

            var client = sent;
            inFlight.Add(Task.Run(async () =>
            {
                var started = Stopwatch.GetTimestamp();
                if (!await request(client))
                {
                    Interlocked.Increment(ref failures);
                }

                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }));
        }

        await Task.WhenAll(inFlight);
        var all = latencies.Order().ToArray();
        return new LoadResult(all.Length / duration.TotalSeconds, Percentiles.Of(all, 0.50), Percentiles.Of(all, 0.99), all.Length, failures);
    }
}

internal sealed record LoadResult(double PerSecond, double P50, double P99, int Requests, int Failures)
{
    public override string ToString() =>
        $"{PerSecond,8:0} req/s   p50 {P50,6:0.0} ms   p99 {P99,6:0.0} ms   ({Requests} requests, {Failures} failed)";
}
