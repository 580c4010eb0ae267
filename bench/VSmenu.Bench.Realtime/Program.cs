using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Bench;
using VSmenu.Bench.Realtime;
using VSmenu.Broadcasting;
using VSmenu.Queue;
using VSmenu.Redis.Broadcasting;
using VSmenu.Testing;

// The realtime hub on the whole topology (one hub replica), clients in this process on its own Kestrel port:
// 1. publish -> deliver latency to 1,000 subscribers of a private channel, one order a second through the REST API,
//    then the same fan-out with no API in front, side by side with a bare Node ws server;
// 2. 10,000 idle connections: the hub's resident memory;
// 3. fan-out to those 10,000 sockets at 10 events/s, then 20, 40 and 80 until it falls behind, and the same steps
//    from a bare Node ws server.
var subscribers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
var fanOutSockets = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
const int EventsPerSecond = 10;
const string Unreachable = "1000000000";

await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, new Dictionary<string, string>
{
    ["RateLimiting__Authenticated__PermitLimit"] = Unreachable,
    ["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "0",
    ["RateLimiting__OrderCreation__PermitLimit"] = Unreachable,
    // Every bench socket comes from this one machine: the hub's cap per address would refuse all but the first 500.
    ["Realtime__MaxConnectionsPerAddress"] = "0",
}, CancellationToken.None);
var pusher = new PusherAppOptions
{
    AppId = await ParameterAsync("pusher-app-id"),
    Key = await ParameterAsync("pusher-app-key"),
    Secret = await ParameterAsync("pusher-app-secret"),
};
var hub = DirectAddressOf("realtime");
var hubSocket = new UriBuilder(hub) { Scheme = "ws", Path = $"/app/{pusher.Key}", Query = "protocol=7&client=bench&version=1" }.Uri;
Console.WriteLine($"hub at {hub}; {Environment.ProcessorCount} cores shared by clients, hub, api, worker, Redis and PostgreSQL");

// 1. Latency: subscribers of private-orders.{tenant}, authorized with the app's secret (as the api would sign).
using var api = new HttpClient { BaseAddress = DirectAddressOf("api") };
var registered = (await (await api.PostAsJsonAsync("/api/v1/auth/register", new { restaurant_name = "Bench", name = "Bench", email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark-password" })).Content.ReadFromJsonAsync<JsonObject>())!["data"]!;
api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registered["token"]!.GetValue<string>());
var channel = $"private-orders.{registered["tenant"]!["id"]!.GetValue<long>()}";
var category = await CreateAsync("/api/v1/categories", new { name = "Pizzas" });
var product = await CreateAsync("/api/v1/products", new { name = "Margherita", price = 30m, category_id = category });
var customer = await CreateAsync("/api/v1/customers", new { name = "Cliente" });

// The relay's PUBLISH as Redis hands it to a subscriber here: splits the latency into API -> Redis and Redis -> socket.
await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
var relayedAt = new ConcurrentDictionary<long, long>();
JsonObject? relayed = null;
await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(BroadcastChannel.For(channel)), (_, message) =>
{
    var at = Stopwatch.GetTimestamp();
    var broadcast = JsonNode.Parse(message.ToString())!.AsObject();
    if (broadcast["event"]?.GetValue<string>() == "order.created" && OrderIdOf(broadcast["data"]) is > 0 and var order)
    {
        relayedAt[order] = at;
        relayed = broadcast;
    }
});

var answeredAt = new ConcurrentDictionary<long, long>();
var received = new ConcurrentQueue<(byte[] Frame, long At)>();
var subscribed = 0;
await using (var latencyClients = new BenchSockets((_, frame, at) =>
{
    if (FrameEvent.Is(frame, "order.created"u8))
    {
        received.Enqueue((frame.ToArray(), at));
    }
    else if (FrameEvent.Is(frame, "pusher_internal:subscription_succeeded"u8))
    {
        Interlocked.Increment(ref subscribed);
    }
}))
{
    await latencyClients.OpenAsync(hubSocket, subscribers, parallel: 50, (_, socketId) =>
        [JsonSerializer.Serialize(new { @event = "pusher:subscribe", data = new { channel, auth = PusherSignature.ChannelAuth(pusher, socketId, channel, null) } })]);
    await Wait.UntilAsync(() => Volatile.Read(ref subscribed) == subscribers, $"{subscribers} subscriptions");

    // One order first, not counted: its path runs code for the first time (JIT, pools, the relay's prepared statements),
    // and so do the jobs it starts (mails, stock), which the worker has run once the queue is empty again.
    await CreateOrderAsync();
    await Wait.UntilAsync(() => received.Count == subscribers, "the warm-up order's deliveries");
    await WaitForIdleQueueAsync();
    received.Clear();
    for (var i = 0; i < seconds; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var (order, answered) = await CreateOrderAsync();
        answeredAt[order] = answered;
        await Task.Delay(TimeSpan.FromSeconds(1) - Stopwatch.GetElapsedTime(started));
    }

    await Wait.UntilAsync(() => received.Count >= subscribers * seconds, "every delivery");
}

// Parsed after the run, so the clients' work while measuring is only reading sockets. The event can reach a client
// before the API's answer does (the relay wakes at commit): those count as 0.
var throughApi = received.Select(delivery => (OrderId: OrderIdOf(JsonNode.Parse(delivery.Frame)!["data"]), delivery.At)).ToArray();
var endToEnd = Sorted(throughApi.Select(delivery => Math.Max(0, Stopwatch.GetElapsedTime(answeredAt[delivery.OrderId], delivery.At).TotalMilliseconds)));
var throughRedis = Sorted(answeredAt.Select(answer => Math.Max(0, Stopwatch.GetElapsedTime(answer.Value, relayedAt[answer.Key]).TotalMilliseconds)));
var throughHub = Sorted(throughApi.Select(delivery => Stopwatch.GetElapsedTime(relayedAt[delivery.OrderId], delivery.At).TotalMilliseconds));
Console.WriteLine($"1. {subscribers} subscribers, 1 order/s for {seconds} s through the API: API answered -> frame received p50 {Percentiles.Of(endToEnd, 0.5):0.0} ms, p99 {Percentiles.Of(endToEnd, 0.99):0.0} ms ({endToEnd.Length} deliveries; target p99 < 25 ms)");
Console.WriteLine($"   of which API answered -> relay's PUBLISH seen on Redis p50 {Percentiles.Of(throughRedis, 0.5):0.0} ms, p99 {Percentiles.Of(throughRedis, 0.99):0.0} ms; Redis -> frame received (hub and clients) p50 {Percentiles.Of(throughHub, 0.5):0.0} ms, p99 {Percentiles.Of(throughHub, 0.99):0.0} ms");

// The same fan-out with nothing in front: one event a second of the order event's size to as many sockets, published to
// Redis for the hub and written to a bare Node ws server, read by the same clients.
var port = FreePort();
using var node = Process.Start(new ProcessStartInfo("node", ["server.mjs", port.ToString(CultureInfo.InvariantCulture)])
{
    WorkingDirectory = Path.Combine(RepositoryRoot(), "bench", "ws-broadcast"),
    RedirectStandardOutput = true,
    RedirectStandardInput = true,
})!;
await node.StandardOutput.ReadLineAsync();
var eventBytes = relayed!["data"]!.ToJsonString().Length;
var padding = new string('x', eventBytes);
Func<long, long, Task> PublishToHub(string hubChannel) => async (sequence, sent) => await redis.GetSubscriber().PublishAsync(
    RedisChannel.Literal(BroadcastChannel.For(hubChannel)), JsonSerializer.Serialize(new { @event = "tick", channel = hubChannel, data = new { sequence, sent, padding } }));
async Task PublishToNodeAsync(long sequence, long sent)
{
    await node.StandardInput.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{sequence} {sent} {eventBytes}"));
    await node.StandardInput.FlushAsync();
}

FanOutStep hubAlone, nodeAlone;
await using (var hubClients = new FanOutRun(subscribers, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds), latencySampleEvery: 1))
{
    await hubClients.OpenAsync(hubSocket, """{"event":"pusher:subscribe","data":{"channel":"bench-latency","auth":""}}""", expectSubscriptions: true);
    hubAlone = await hubClients.StepAsync(1, PublishToHub("bench-latency"));
}

await using (var nodeClients = new FanOutRun(subscribers, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(seconds), latencySampleEvery: 1))
{
    await nodeClients.OpenAsync(new Uri($"ws://127.0.0.1:{port}"), subscribe: null, expectSubscriptions: false);
    nodeAlone = await nodeClients.StepAsync(1, PublishToNodeAsync);
}

Console.WriteLine($"   no API, 1 event/s of {eventBytes} bytes to {subscribers} sockets: hub (Redis PUBLISH -> frame) p50 {hubAlone.LatencyP50:0.0} ms, p99 {hubAlone.LatencyP99:0.0} ms; bare Node ws p50 {nodeAlone.LatencyP50:0.0} ms, p99 {nodeAlone.LatencyP99:0.0} ms");

if (fanOutSockets == 0)
{
    node.Kill();
    return;
}

// 2. and 3. The same 10,000 sockets: idle memory, then fan-out at 10 events/s and faster, until the server falls behind.
int[] rates = [EventsPerSecond, 2 * EventsPerSecond, 4 * EventsPerSecond, 8 * EventsPerSecond];
var warmUp = TimeSpan.FromSeconds(5);
var window = TimeSpan.FromSeconds(seconds);
var hubSteps = new List<FanOutStep>();
await using (var hubClients = new FanOutRun(fanOutSockets, warmUp, window))
{
    var opened = await hubClients.OpenAsync(hubSocket, """{"event":"pusher:subscribe","data":{"channel":"bench-fanout","auth":""}}""", expectSubscriptions: true);
    Console.WriteLine($"   hub: {fanOutSockets} sockets open and subscribed in {opened.TotalSeconds:0.0} s");
    await Task.Delay(TimeSpan.FromSeconds(5));
    Console.WriteLine($"2. {fanOutSockets} idle connections: hub resident memory {ResidentMegabytes("VSmenu.Realtime"):0} MB (target < 500 MB)");
    await StepUpAsync("hub", hubClients, hubSteps, PublishToHub("bench-fanout"));
}

var nodeSteps = new List<FanOutStep>();
await using (var nodeClients = new FanOutRun(fanOutSockets, warmUp, window))
{
    await nodeClients.OpenAsync(new Uri($"ws://127.0.0.1:{port}"), subscribe: null, expectSubscriptions: false);
    await StepUpAsync("node ws", nodeClients, nodeSteps, PublishToNodeAsync);
}

node.Kill();
var hubPeak = hubSteps.Max(step => step.DeliveredPerSecond);
var nodePeak = nodeSteps.Max(step => step.DeliveredPerSecond);
Console.WriteLine($"   hub at {EventsPerSecond} events/s: {hubSteps[0].DeliveredPerSecond:N0} deliveries/s (target >= 100,000/s); the most it delivered: {hubPeak:N0}/s");
// While both keep up, deliveries/s only echo the offered rate; the ratio compares what each could deliver at most.
Console.WriteLine($"3. fan-out hub vs bare Node ws: {hubPeak / nodePeak:0.00}x at each one's peak ({hubPeak:N0} vs {nodePeak:N0} deliveries/s; target >= 1.0); at {EventsPerSecond} events/s {hubSteps[0].DeliveredPerSecond:N0} vs {nodeSteps[0].DeliveredPerSecond:N0}/s, publish -> frame p50 {hubSteps[0].LatencyP50:0} vs {nodeSteps[0].LatencyP50:0} ms");

// Steps up the rate until the server no longer keeps up.
async Task StepUpAsync(string label, FanOutRun run, List<FanOutStep> steps, Func<long, long, Task> publish)
{
    foreach (var rate in rates)
    {
        var step = await run.StepAsync(rate, publish);
        steps.Add(step);
        Console.WriteLine($"   {label,-7} {step}");
        if (!step.KeptUp)
        {
            return;
        }
    }
}

async Task<(long Order, long AnsweredAt)> CreateOrderAsync()
{
    var response = await api.PostAsJsonAsync("/api/v1/orders", new { type = "takeaway", customer_id = customer, items = new[] { new { product_id = product, quantity = 1 } } });
    var answered = Stopwatch.GetTimestamp();
    return ((await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<long>(), answered);
}

async Task WaitForIdleQueueAsync()
{
    var queue = new JobQueue(redis, Options.Create(new QueueOptions()), TimeProvider.System);
    var idleSince = Stopwatch.StartNew();
    var waited = Stopwatch.StartNew();
    while (idleSince.Elapsed < TimeSpan.FromSeconds(1))
    {
        var sizes = await queue.SizesAsync(Queues.ByPriority);
        if (sizes.Ready.Values.Sum() + sizes.Reserved + sizes.Delayed > 0)
        {
            idleSince.Restart();
        }

        if (waited.Elapsed > TimeSpan.FromMinutes(1))
        {
            throw new TimeoutException("The worker's queue never went idle.");
        }

        await Task.Delay(100);
    }
}

async Task<long> CreateAsync(string path, object body) =>
    (await (await api.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<long>();

async Task<string> ParameterAsync(string name) =>
    await app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(parameter => parameter.Name == name).GetValueAsync(CancellationToken.None) ?? "";

Uri DirectAddressOf(string resource) =>
    app.ResourceNotifications.TryGetCurrentState(resource, out var state) && VsmenuTopology.DirectAddress(state.Snapshot) is { } direct
        ? direct
        : throw new InvalidOperationException($"{resource} has no address yet.");

// An order event's data is an object in Redis and a JSON string in a Pusher frame.
static long OrderIdOf(JsonNode? data) =>
    (data is JsonValue text ? JsonNode.Parse(text.GetValue<string>()) : data)?["order"]?["id"]?.GetValue<long>() ?? 0;

static double[] Sorted(IEnumerable<double> values) => [.. values.Order()];

static double ResidentMegabytes(string processName) =>
    Process.GetProcessesByName(processName).Select(process => { process.Refresh(); return process.WorkingSet64; }).Sum() / 1024.0 / 1024.0;

static int FreePort()
{
    using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
    listener.Start();
    return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "VSmenu.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("VSmenu.sln not found above the bench binaries.");
}
