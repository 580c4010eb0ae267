using System.Diagnostics;

namespace VSmenu.Bench.Api;

/// <summary>Closed-loop load: <c>clients</c> callers, each sending its next request when the last one answers.</summary>
internal static class LoadRun
{
    public static async Task<LoadResult> RunAsync(int clients, TimeSpan duration, Func<int, Task<bool>> request)
    {
        var latencies = new List<double>[clients];
        var failures = 0;
        var cpuBefore = CpuSnapshot.Take();
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
        return LoadResult.Of(latencies.SelectMany(list => list), stopwatch.Elapsed, failures, cpuBefore);
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
        var cpuBefore = CpuSnapshot.Take();
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
        return LoadResult.Of(latencies, duration, failures, cpuBefore);
    }
}

/// <summary>
/// One phase's rate and latencies, how busy the machine's cores were meanwhile (a rate measured with them all busy is the
/// machine's limit, not the service's alone), and which processes they were busy with.
/// </summary>
internal sealed record LoadResult(double PerSecond, double P50, double P99, int Requests, int Failures, double? CoresBusy, IReadOnlyList<(string Name, double Seconds)> CpuByProcess)
{
    private const int ProcessesShown = 7;

    public static LoadResult Of(IEnumerable<double> latencies, TimeSpan elapsed, int failures, CpuSnapshot before)
    {
        var coresBusy = (CpuTime.Read() - before.Machine)?.Busy / elapsed.TotalSeconds / Environment.ProcessorCount;
        var cpuByProcess = ProcessCpu.Read().Since(before.Processes);
        var all = latencies.Order().ToArray();
        return new LoadResult(all.Length / elapsed.TotalSeconds, Percentiles.Of(all, 0.50), Percentiles.Of(all, 0.99), all.Length, failures, coresBusy, cpuByProcess);
    }

    /// <summary>The busiest processes' CPU per request, in ms: what one request cost the machine, and where.</summary>
    public string CpuPerRequest =>
        string.Join(", ", CpuByProcess.Take(ProcessesShown).Select(process => $"{process.Name} {process.Seconds * 1000 / Math.Max(1, Requests):0.00}"))
        + $" (all {CpuByProcess.Sum(process => process.Seconds) * 1000 / Math.Max(1, Requests):0.00})";

    public override string ToString() =>
        $"{PerSecond,8:0} req/s   p50 {P50,6:0.0} ms   p99 {P99,6:0.0} ms   ({Requests} requests, {Failures} failed{(CoresBusy is { } busy ? $", cores {busy:P0} busy" : "")})";
}

/// <summary>The machine's CPU counters at one moment, to tell what a phase cost.</summary>
internal sealed record CpuSnapshot(CpuTime? Machine, ProcessCpu Processes)
{
    public static CpuSnapshot Take() => new(CpuTime.Read(), ProcessCpu.Read());
}
