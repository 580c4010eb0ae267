using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using VSmenu.Bench;
using VSmenu.Testing;

// Cold start of the whole topology as `dotnet run` of the AppHost has it, the dashboard included: a fresh data folder
// (initdb included), every process started, every resource healthy and the migrations finished. The build is done beforehand and not counted. Each run prints when
// each resource (each replica) was started, running and healthy or finished: the critical path is where the time goes.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var seconds = new List<double>();

for (var run = 1; run <= runs; run++)
{
    var cpuBefore = CpuTime.Read();
    var stopwatch = Stopwatch.StartNew();
    var timeline = new ConcurrentDictionary<string, Milestones>();
    void Record(ResourceEvent resourceEvent)
    {
        var at = stopwatch.Elapsed.TotalSeconds;
        var snapshot = resourceEvent.Snapshot;
        var milestones = timeline.GetOrAdd(resourceEvent.ResourceId, _ => new Milestones());
        if (snapshot.State?.Text == KnownResourceStates.Starting || snapshot.State?.Text == KnownResourceStates.Running)
        {
            milestones.Starting ??= at;
        }

        if (snapshot.State?.Text == KnownResourceStates.Running)
        {
            milestones.Running ??= at;
        }

        if (snapshot.HealthStatus == HealthStatus.Healthy && snapshot.State?.Text == KnownResourceStates.Running
            && !VsmenuTopology.OneShotResources.Contains(resourceEvent.Resource.Name))
        {
            milestones.Ready ??= at;
        }

        if (snapshot.State?.Text is { } state && KnownResourceStates.TerminalStates.Contains(state))
        {
            milestones.Ready ??= at;
        }
    }

    await using (await VsmenuTopology.StartAsync(resourceLogs: null, new Dictionary<string, string>(), Record, dashboard: true, CancellationToken.None))
    {
        seconds.Add(stopwatch.Elapsed.TotalSeconds);
        Console.WriteLine($"run {run}: every resource healthy after {seconds[^1]:0.0} s");
        if (CpuTime.Read() - cpuBefore is { } busy)
        {
            var available = seconds[^1] * Environment.ProcessorCount;
            Console.WriteLine($"  the machine's CPU was busy {busy.Busy:0.0} of {available:0.0} CPU-seconds ({busy.Busy / available:P0}; user {busy.User:0.0}, system {busy.System:0.0}): on {Environment.ProcessorCount} cores no order of starts ends before {busy.Busy / Environment.ProcessorCount:0.0} s");
        }

        foreach (var (resource, milestones) in timeline.Where(entry => entry.Value.Starting is not null && entry.Value.Ready > entry.Value.Starting).OrderBy(entry => entry.Value.Ready))
        {
            Console.WriteLine($"  {resource,-28} starting {Format(milestones.Starting)}  running {Format(milestones.Running)}  healthy or done {Format(milestones.Ready)}");
        }
    }
}

seconds.Sort();
Console.WriteLine($"cold start to healthy: median {seconds[seconds.Count / 2]:0.0} s, min {seconds[0]:0.0} s, max {seconds[^1]:0.0} s over {runs} runs (target < 20 s)");

static string Format(double? at) => at is { } seconds ? $"{seconds,5:0.0} s" : "    -  ";

internal sealed class Milestones
{
    public double? Starting { get; set; }

    public double? Running { get; set; }

    public double? Ready { get; set; }
}
