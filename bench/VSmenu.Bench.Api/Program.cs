using VSmenu.Bench.Api;

// bench/api.sh: the API against pgbench and a bare endpoint. bench/edge.sh: the API with and without its edge.
if (args.FirstOrDefault() == "edge")
{
    await EdgeBench.RunAsync(BenchSettings.Parse(args[1..]), rounds: args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 2);
}
else
{
    await ApiBench.RunAsync(BenchSettings.Parse(args));
}
