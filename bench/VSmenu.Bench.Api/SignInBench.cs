using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// A shift starting: <c>waiters</c> members of staff are created and sign in all at once (each a password hashed twice)
/// while the kitchen's tablet lists the orders every 250 ms, as its screen does. Prints the sign-ins' p50/p99, the
/// kitchen's list before and during the rush, and how often the api opened a circuit on its (healthy) stores meanwhile.
/// </summary>
internal static class SignInBench
{
    private static readonly TimeSpan KitchenPoll = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Calm = TimeSpan.FromSeconds(5);
    private const string CircuitOpened = "its circuit is open";

    public static async Task RunAsync(int waiters)
    {
        var logFolder = Directory.CreateTempSubdirectory("vsmenu-signin-bench").FullName;
        using (var logs = new ResourceLogFiles(logFolder))
        {
            await using var app = await VsmenuTopology.StartAsync(logs, BenchSettings.EdgeAtLoad, CancellationToken.None);
            var restaurant = await BenchRestaurant.SignUpAsync(app, clients: waiters);
            using var kitchen = await restaurant.AddTabletAsync("kitchen", waiters);
            // Cold services pay for JIT compilation on their first sign-ins, which no shift's start pays.
            foreach (var warmUp in await Task.WhenAll(Enumerable.Range(waiters + 1, 8).Select(index => restaurant.AddTabletAsync("waiter", index))))
            {
                warmUp.Dispose();
            }

            var calm = await ListWhileAsync(kitchen, Task.Delay(Calm));
            var openedBefore = CountCircuitOpenings(logFolder);
            var rush = Stopwatch.StartNew();
            var signIns = new ConcurrentBag<double>();
            var failures = new ConcurrentBag<string>();
            var signingIn = Task.WhenAll(Enumerable.Range(0, waiters).Select(async index =>
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    using var tablet = await restaurant.AddTabletAsync("waiter", index);
                    signIns.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (InvalidOperationException failed)
                {
                    failures.Add(failed.Message);
                }
            }));
            var during = await ListWhileAsync(kitchen, signingIn);
            rush.Stop();

            var sorted = signIns.Order().ToArray();
            Console.WriteLine($"{waiters} waiters created and signed in at once, {Environment.ProcessorCount} cores shared by clients and servers: all in {rush.Elapsed.TotalSeconds:0.0} s;"
                + $" each (create + sign-in) p50 {Percentiles.Of(sorted, 0.5):0} ms, p99 {Percentiles.Of(sorted, 0.99):0} ms; {failures.Count} failed");
            foreach (var failure in failures.GroupBy(message => message.Split(':')[0]))
            {
                Console.WriteLine($"  {failure.Count()} x {failure.First()}");
            }

            Print("kitchen's order list, calm", calm);
            Print("kitchen's order list, during the rush", during);
            Console.WriteLine($"circuits the api opened on its stores during the rush: {CountCircuitOpenings(logFolder) - openedBefore}");
        }

        Directory.Delete(logFolder, recursive: true);
    }

    /// <summary>The kitchen tablet's list, every <see cref="KitchenPoll"/> until <paramref name="until"/> ends: each one's time and status.</summary>
    private static async Task<List<(double Milliseconds, HttpStatusCode Status)>> ListWhileAsync(HttpClient kitchen, Task until)
    {
        var lists = new List<(double, HttpStatusCode)>();
        while (!until.IsCompleted)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await kitchen.GetAsync("/api/v1/orders?include=items,customer");
            await response.Content.LoadIntoBufferAsync();
            lists.Add((Stopwatch.GetElapsedTime(started).TotalMilliseconds, response.StatusCode));
            await Task.WhenAny(until, Task.Delay(KitchenPoll));
        }

        await until;
        return lists;
    }

    private static void Print(string what, List<(double Milliseconds, HttpStatusCode Status)> lists)
    {
        var sorted = lists.Select(list => list.Milliseconds).Order().ToArray();
        var statuses = string.Join(", ", lists.GroupBy(list => (int)list.Status).Select(status => $"{status.Key} x{status.Count()}"));
        Console.WriteLine($"{what}: {lists.Count} lists, p50 {Percentiles.Of(sorted, 0.5):0.0} ms, p99 {Percentiles.Of(sorted, 0.99):0.0} ms, max {sorted.LastOrDefault():0.0} ms ({statuses})");
    }

    private static int CountCircuitOpenings(string logFolder)
    {
        var apiLog = Path.Combine(logFolder, "api.log");
        using var reading = new FileStream(apiLog, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(reading);
        var opened = 0;
        while (reader.ReadLine() is { } line)
        {
            opened += line.Contains(CircuitOpened, StringComparison.Ordinal) ? 1 : 0;
        }

        return opened;
    }
}
