using System.Diagnostics;
using Aspire.Hosting.Testing;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Testing;
using VSmenu.Testing.Telemetry;

namespace VSmenu.Bench.Api;

/// <summary>
/// What the dashboard's Traces page would list: the topology exports to an OTLP receiver while it stands idle for a
/// minute, then while one restaurant takes an order a second for a minute. Prints the traces that began in each minute,
/// the most frequent root spans (what buries an order), and the shape of an order's trace.
/// </summary>
internal static class TracesBench
{
    /// <summary>Time for the exporters' last batch (every 0.5 s here) to arrive after a window closes.</summary>
    private static readonly TimeSpan ExportFlush = TimeSpan.FromSeconds(3);

    public static async Task RunAsync(TimeSpan window)
    {
        await using var receiver = await OtlpReceiver.StartAsync(CancellationToken.None);
        await using var app = await VsmenuTopology.StartAsync(
            resourceLogs: null, receiver.ExporterEnvironment.Concat(BenchSettings.EdgeAtLoad).ToDictionary(), CancellationToken.None);
        var restaurant = await BenchRestaurant.SignUpAsync(app, clients: 1);
        await using var database = NpgsqlDataSource.Create(await app.GetConnectionStringAsync("vsmenudb") ?? "");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
        // A few orders first, drained, so start-up and the first order's cold paths are not in either minute.
        for (var i = 0; i < 5; i++)
        {
            await restaurant.CreateOrderAsync();
        }

        await PlatformWork.WaitUntilDoneAsync(redis, database, TimeSpan.FromMinutes(1));

        var idle = await MeasureAsync(receiver, window, _ => Task.CompletedTask);
        Report($"idle, {window.TotalSeconds:0} s", idle, orders: 0);

        var orderIds = new List<long>();
        var busy = await MeasureAsync(receiver, window, async stopwatch =>
        {
            for (var second = 0; second < window.TotalSeconds; second++)
            {
                orderIds.Add((await restaurant.CreateOrderAsync())["id"]!.GetValue<long>());
                var next = TimeSpan.FromSeconds(second + 1) - stopwatch.Elapsed;
                if (next > TimeSpan.Zero)
                {
                    await Task.Delay(next);
                }
            }

            await PlatformWork.WaitUntilDoneAsync(redis, database, TimeSpan.FromMinutes(1));
        });
        Report($"one order a second, {window.TotalSeconds:0} s", busy, orders: orderIds.Count);

        var orderTrace = receiver.Spans.FirstOrDefault(span => span.Attribute("vsmenu.order.id") == orderIds[^1].ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (orderTrace is not null)
        {
            var spans = receiver.Trace(orderTrace.TraceId);
            Console.WriteLine($"the last order's trace: {spans.Count} spans from {string.Join(", ", spans.Select(span => span.Service).Distinct().Order())}");
            foreach (var span in spans.Where(span => span.Kind is not SpanKind.Client).OrderBy(span => span.Start))
            {
                Console.WriteLine($"  {span.Service,-9} {span.Kind,-8} {span.Name}");
            }
        }
    }

    /// <summary>Runs <paramref name="during"/> in a window of <paramref name="window"/> (at least) and returns the traces that began in it.</summary>
    private static async Task<IReadOnlyList<IGrouping<string, ReceivedSpan>>> MeasureAsync(OtlpReceiver receiver, TimeSpan window, Func<Stopwatch, Task> during)
    {
        var from = DateTimeOffset.UtcNow;
        var stopwatch = Stopwatch.StartNew();
        await during(stopwatch);
        var rest = window - stopwatch.Elapsed;
        if (rest > TimeSpan.Zero)
        {
            await Task.Delay(rest);
        }

        var to = from + window;
        await Task.Delay(ExportFlush);
        return receiver.Spans.GroupBy(span => span.TraceId)
            .Where(trace => trace.Min(span => span.Start) is var began && began >= from && began < to)
            .ToList();
    }

    private static void Report(string what, IReadOnlyList<IGrouping<string, ReceivedSpan>> traces, int orders)
    {
        Console.WriteLine($"{what}: {traces.Count} traces{(orders > 0 ? $" for {orders} orders ({(double)traces.Count / orders:0.00} a order)" : "")}");
        var roots = traces.Select(trace => trace.OrderBy(span => span.Start).First())
            .GroupBy(root => $"{root.Service}: {root.Name} ({root.Kind})")
            .OrderByDescending(group => group.Count())
            .Take(12);
        foreach (var root in roots)
        {
            Console.WriteLine($"  {root.Count(),6}  {root.Key}");
        }
    }
}
