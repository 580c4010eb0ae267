using System.Diagnostics;
using System.Globalization;
using VSmenu.Testing;

// Cold start of the whole topology: a fresh data folder (initdb included), every process started, every
// resource healthy and the migrations finished. The build is done beforehand and not counted.
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3;
var seconds = new List<double>();

for (var run = 1; run <= runs; run++)
{
    var stopwatch = Stopwatch.StartNew();
    await using (await VsmenuTopology.StartAsync(resourceLogs: null, CancellationToken.None))
    {
        seconds.Add(stopwatch.Elapsed.TotalSeconds);
        Console.WriteLine($"run {run}: every resource healthy after {seconds[^1]:0.0} s");
    }
}

seconds.Sort();
Console.WriteLine($"cold start to healthy: median {seconds[seconds.Count / 2]:0.0} s, min {seconds[0]:0.0} s, max {seconds[^1]:0.0} s over {runs} runs (target < 30 s)");
