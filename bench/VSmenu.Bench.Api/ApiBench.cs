using System.Diagnostics;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using StackExchange.Redis;
using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// The REST API under closed-loop load from this process, on the whole topology (api, worker, Redis, PostgreSQL)
/// on this machine: POST /api/v1/orders with three items, GET /api/v1/orders?include=items,customer, a bare
/// endpoint of the same host (/alive), and pgbench committing the same rows. Load generator and servers share the cores.
/// </summary>
internal static class ApiBench
{
    private static readonly TimeSpan BacklogPatience = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(BenchSettings settings)
    {
        await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, BenchSettings.EdgeAtLoad, CancellationToken.None);
        var restaurant = await BenchRestaurant.SignUpAsync(app, settings.Clients);
        var http = restaurant.Http;

        async Task<bool> Bare(int _)
        {
            using var response = await http.GetAsync("/alive");
            return response.IsSuccessStatusCode;
        }

        Console.WriteLine($"api at {http.BaseAddress}");
        Console.WriteLine(settings);
        var connectionString = await app.GetConnectionStringAsync("vsmenudb") ?? throw new InvalidOperationException("No vsmenudb connection string.");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");

        // Orders leave the worker mails, stock takes and broadcasts to do after the phase that placed them: the next phase
        // waits for them, so it pays for its own work only.
        async Task SettleAsync(string after)
        {
            var drained = await PlatformWork.WaitUntilDoneAsync(app, BacklogPatience);
            Console.WriteLine($"  the platform's work left by {after} took {drained.TotalSeconds:0.0} s more to finish");
        }

        static void Report(string request, LoadResult result, string? target = null)
        {
            Console.WriteLine($"{request,-42} {result}{(target is null ? "" : $" (target {target})")}");
            Console.WriteLine($"  CPU ms per request: {result.CpuPerRequest}");
        }

        // Every order sends a mail, and the development mail sink slows down as its mailbox grows: left full it took a
        // third of the cores in the phases after the POSTs (MailSink). Emptied throughout, it costs what a mail costs.
        var (post, list, bare, postAtHalf, listAtHalf) = await MailSink.KeepEmptyWhileAsync(app, async () =>
        {
            var statements = new StatementProfile(connectionString);
            var post = await settings.MeasureAsync(_ => restaurant.PostOrderAsync(), statements.ResetAsync);
            Report("POST /api/v1/orders (3 items)", post);
            await statements.PrintAsync("POST /api/v1/orders", post.Requests);
            await SettleAsync("the POSTs");
            var list = await settings.MeasureAsync(_ => restaurant.ListOrdersAsync(), statements.ResetAsync);
            Report("GET  /api/v1/orders?include=items,customer", list);
            await statements.PrintAsync("GET /api/v1/orders", list.Requests);
            var bare = await settings.MeasureAsync(Bare);
            Report("GET  /alive (bare endpoint, same host)", bare);

            // Latency at a fixed load, half of each one's peak: what a restaurant sees on a busy night short of saturation.
            var postAtHalf = await FixedRateRun.RunAsync(post.PerSecond / 2, settings.Duration, _ => restaurant.PostOrderAsync());
            Report("POST at half its peak, open loop", postAtHalf, "p99 < 50 ms");
            await SettleAsync("the POSTs at half their peak");
            var listAtHalf = await FixedRateRun.RunAsync(list.PerSecond / 2, settings.Duration, _ => restaurant.ListOrdersAsync());
            Report("GET  at half its peak, open loop", listAtHalf, "p99 < 50 ms");
            return (post, list, bare, postAtHalf, listAtHalf);
        });

        var pgbenchTps = await Pgbench.RunAsync(connectionString, restaurant.TenantId, restaurant.CustomerId, restaurant.ProductIds, settings.Clients, settings.Duration);
        Console.WriteLine($"pgbench, same rows per transaction          {pgbenchTps,8:0} tps");

        // Relay latency on an idle system: from the moment the API has answered (the order is committed) to the moment a
        // subscriber receives order.created from Redis. Commit precedes the answer, so this over-states commit → PUBLISH.
        var received = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"vsmenu:broadcast:private-orders.{restaurant.TenantId}"), (_, message) =>
        {
            var now = Stopwatch.GetTimestamp();
            received.TryAdd(JsonNode.Parse(message.ToString())!["data"]!["order"]!["id"]!.GetValue<long>(), now);
        });
        var relay = new List<double>();
        for (var i = 0; i < 200; i++)
        {
            var created = await restaurant.CreateOrderAsync();
            var answered = Stopwatch.GetTimestamp();
            var id = created["id"]!.GetValue<long>();
            var waited = Stopwatch.StartNew();
            while (!received.ContainsKey(id) && waited.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(1);
            }

            relay.Add(received.TryGetValue(id, out var at) ? Math.Max(0, Stopwatch.GetElapsedTime(answered, at).TotalMilliseconds) : double.PositiveInfinity);
        }

        var relaySorted = relay.Order().ToArray();
        Console.WriteLine($"answer -> order.created received (idle, 200 orders): p50 {Percentiles.Of(relaySorted, 0.5):0.0} ms, p99 {Percentiles.Of(relaySorted, 0.99):0.0} ms (target < 20 ms)");
        Console.WriteLine($"POST /orders vs pgbench: {post.PerSecond / pgbenchTps:0.00}x (target >= 0.5); at half its peak p99 {postAtHalf.P99:0.0} ms (target < 50 ms)");
        Console.WriteLine($"GET /orders vs bare:     {list.PerSecond / bare.PerSecond:0.00}x (target >= 0.3); at half its peak p99 {listAtHalf.P99:0.0} ms (target < 50 ms)");
    }
}
