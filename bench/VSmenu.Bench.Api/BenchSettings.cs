using System.Globalization;

namespace VSmenu.Bench.Api;

/// <summary>How long and how hard each phase of a bench runs, from the command line.</summary>
internal sealed record BenchSettings(int Seconds, int Clients, int WarmUpSeconds)
{
    /// <summary>Limits that the load never reaches: every request is still counted in Redis, none refused.</summary>
    private const string Unreachable = "1000000000";

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    /// <summary>The edge as deployed, with limits raised out of the load's way.</summary>
    public static IReadOnlyDictionary<string, string> EdgeAtLoad { get; } = new Dictionary<string, string>
    {
        ["RateLimiting__Authenticated__PermitLimit"] = Unreachable,
        ["RateLimiting__OrderCreation__PermitLimit"] = Unreachable,
    };

    /// <summary>Rate limits off and request logs below their level; no Idempotency-Key is sent either.</summary>
    public static IReadOnlyDictionary<string, string> EdgeOff { get; } = new Dictionary<string, string>
    {
        ["RateLimiting__Enabled"] = "false",
        ["Logging__LogLevel__VSmenu.Api.Edge.RequestLogging"] = "Warning",
    };

    public static BenchSettings Parse(string[] args) => new(
        args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20,
        args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64,
        // Tiered JIT keeps recompiling hot methods for a while under load on two cores; measure after it settles.
        args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);

    /// <summary>Warms the request up, then (after <paramref name="measuring"/>, when given) measures it.</summary>
    public async Task<LoadResult> MeasureAsync(Func<int, Task<bool>> request, Func<Task>? measuring = null)
    {
        await LoadRun.RunAsync(Clients, TimeSpan.FromSeconds(WarmUpSeconds), request);
        if (measuring is not null)
        {
            await measuring();
        }

        return await LoadRun.RunAsync(Clients, Duration, request);
    }

    public override string ToString() =>
        $"{Clients} clients, {Seconds} s per phase after a {WarmUpSeconds} s warm-up, {Environment.ProcessorCount} cores shared by load and servers";
}
