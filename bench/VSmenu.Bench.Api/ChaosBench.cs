using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>bench/chaos.sh: <see cref="ChaosRun"/> on a topology of two replicas of each service, and its table.</summary>
internal static class ChaosBench
{
    private const int Tablets = 12;

    public static async Task<int> RunAsync(TimeSpan duration)
    {
        // CHAOS_LOGS=folder keeps every resource's log lines there (api.log, worker.log, ...), for the run's slowest requests.
        using var logs = Environment.GetEnvironmentVariable("CHAOS_LOGS") is { Length: > 0 } folder ? new ResourceLogFiles(folder) : null;
        await using var app = await VsmenuTopology.StartAsync(
            logs, BenchSettings.EdgeAtLoad, CancellationToken.None, "VSmenu:ApiReplicas=2", "VSmenu:RealtimeReplicas=2", "VSmenu:WorkerReplicas=2");
        Console.WriteLine($"chaos for {duration.TotalMinutes:0.#} min: {Tablets} tablets, 2 replicas of api, realtime and worker, {Environment.ProcessorCount} cores");
        var report = await new ChaosRun(app, duration, Tablets, Console.WriteLine).RunAsync(CancellationToken.None);
        Console.WriteLine(report);
        return report.Holds ? 0 : 1;
    }
}
