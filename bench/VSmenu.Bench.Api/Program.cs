using VSmenu.Bench.Api;

// bench/api.sh: the API against pgbench and a bare endpoint. bench/edge.sh: the API with and without its edge.
// bench/rush.sh: a dinner rush on one dish, and how long the kitchen's jobs take behind it.
// bench/sync.sh: offline sync's full pull, change-to-pulled loop and 500-order push.
// bench/chaos.sh: order traffic while replicas are killed and stores frozen; exits 1 when anything was lost or doubled.
// bench/spans.sh: where a POST's and a GET's time goes inside the api under load, read from their traces.
// bench/traces.sh: the traces an idle minute and a minute at one order a second leave on the dashboard.
// bench/kds.sh: confirm-to-ticket latency in the kitchen display (Chromium), and the page with 200 tickets.
// bench/pos.sh: the POS terminal's IPC round trips, a server change until the terminal says so, and a cold first sync.
// bench/signin.sh: a shift's waiters signing in at once, and the kitchen's order list meanwhile.
if (args.FirstOrDefault() == "chaos")
{
    return await ChaosBench.RunAsync(TimeSpan.FromMinutes(double.Parse(args.ElementAtOrDefault(1) ?? "10", System.Globalization.CultureInfo.InvariantCulture)));
}

if (args.FirstOrDefault() == "spans")
{
    await SpanBench.RunAsync(BenchSettings.Parse(args[1..]));
    return 0;
}

if (args.FirstOrDefault() == "traces")
{
    await TracesBench.RunAsync(TimeSpan.FromSeconds(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 60));
    return 0;
}

if (args.FirstOrDefault() == "kds")
{
    await KdsBench.RunAsync(orders: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100);
    return 0;
}

if (args.FirstOrDefault() == "pos")
{
    await PosBench.RunAsync(orders: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
    return 0;
}

if (args.FirstOrDefault() == "signin")
{
    await SignInBench.RunAsync(waiters: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 64);
    return 0;
}

if (args.FirstOrDefault() == "sync")
{
    await SyncBench.RunAsync(orders: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 10_000);
    return 0;
}

if (args.FirstOrDefault() == "rush")
{
    int Arg(int at, int fallback) => args.Length > at ? int.Parse(args[at], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    await RushBench.RunAsync(waiters: Arg(1, 48), ordersEach: Arg(2, 10), rate: Arg(3, 50), workerReplicas: Arg(4, 1));
}
else if (args.FirstOrDefault() == "edge")
{
    await EdgeBench.RunAsync(BenchSettings.Parse(args[1..]), rounds: args.Length > 4 ? int.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 2);
}
else
{
    await ApiBench.RunAsync(BenchSettings.Parse(args));
}

return 0;
