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
using StackExchange.Redis;
using VSmenu.Bench.Realtime;
using VSmenu.Broadcasting;
using VSmenu.Testing;

// The realtime hub on the whole topology (one hub replica), clients in this process on its own Kestrel port:
// 1. publish -> deliver latency to 1,000 subscribers of a private channel, one order a second through the REST API;
// 2. 10,000 idle connections: the hub's resident memory;
// 3. fan-out to those 10,000 sockets at 10 events/s, and the same fan-out from a bare Node ws server.
var subscribers = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000;
var fanOutSockets = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
var seconds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 20;
const int EventsPerSecond = 10;
const string Unreachable = "1000000000";

await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, new Dictionary<string, string>
{
    ["RateLimiting__Authenticated__PermitLimit"] = Unreachable,
    ["RateLimiting__OrderCreation__PermitLimit"] = Unreachable,
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

var answeredAt = new ConcurrentDictionary<long, long>();
var received = new ConcurrentBag<(long OrderId, long At)>();
var subscribed = 0;
await using (var latencyClients = new BenchSockets((_, frame, at) =>
{
    var name = frame?["event"]?.GetValue<string>();
    if (name == "pusher_internal:subscription_succeeded")
    {
        Interlocked.Increment(ref subscribed);
    }
    else if (name == "order.created")
    {
        received.Add((JsonNode.Parse(frame!["data"]!.GetValue<string>())!["order"]!["id"]!.GetValue<long>(), at));
    }
}))
{
    await latencyClients.OpenAsync(hubSocket, subscribers, parallel: 50, (_, socketId) =>
        [JsonSerializer.Serialize(new { @event = "pusher:subscribe", data = new { channel, auth = PusherSignature.ChannelAuth(pusher, socketId, channel, null) } })]);
    await WaitUntilAsync(() => subscribed == subscribers, $"{subscribers} subscriptions");
    for (var i = 0; i < seconds; i++)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await api.PostAsJsonAsync("/api/v1/orders", new { type = "takeaway", customer_id = customer, items = new[] { new { product_id = product, quantity = 1 } } });
        var answered = Stopwatch.GetTimestamp();
        answeredAt[(await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<long>()] = answered;
        await Task.Delay(TimeSpan.FromSeconds(1) - Stopwatch.GetElapsedTime(started));
    }

    await WaitUntilAsync(() => received.Count >= subscribers * seconds, "every delivery");
}

// The event can arrive before the API's answer does (the relay wakes at commit): those count as 0.
var sorted = received.Select(delivery => Math.Max(0, Stopwatch.GetElapsedTime(answeredAt[delivery.OrderId], delivery.At).TotalMilliseconds)).Order().ToArray();
Console.WriteLine($"1. {subscribers} subscribers, 1 order/s for {seconds} s through the API: API answered -> frame received p50 {Percentile(sorted, 0.5):0.0} ms, p99 {Percentile(sorted, 0.99):0.0} ms ({sorted.Length} deliveries; target p99 < 25 ms)");

// 2. and 3. The same 10,000 sockets: idle memory, then fan-out.
await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
var hubFanOut = await FanOutAsync("hub", hubSocket, async sequence => await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("vsmenu:broadcast:bench-fanout"),
    JsonSerializer.Serialize(new { @event = "tick", channel = "bench-fanout", data = new { sequence }, published_at = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() })), reportMemory: true);

var port = FreePort();
using var node = Process.Start(new ProcessStartInfo("node", ["server.mjs", port.ToString(CultureInfo.InvariantCulture), EventsPerSecond.ToString(CultureInfo.InvariantCulture)])
{
    WorkingDirectory = Path.Combine(RepositoryRoot(), "bench", "ws-broadcast"),
    RedirectStandardOutput = true,
    RedirectStandardInput = true,
})!;
await node.StandardOutput.ReadLineAsync();
var nodeStarted = false;
var wsFanOut = await FanOutAsync("node ws", new Uri($"ws://127.0.0.1:{port}"), async _ =>
{
    // The server keeps its own 10/s rhythm once told to start; the bench's ticks only tell it when.
    if (!nodeStarted)
    {
        nodeStarted = true;
        await node.StandardInput.WriteLineAsync("start");
        await node.StandardInput.FlushAsync();
    }
}, reportMemory: false, waitForSubscriptions: false);
node.Kill();
Console.WriteLine($"3. fan-out hub vs bare Node ws: {hubFanOut / wsFanOut:0.00}x (target >= 1.0)");

async Task<double> FanOutAsync(string label, Uri address, Func<long, Task> publish, bool reportMemory, bool waitForSubscriptions = true)
{
    var joined = 0;
    long deliveries = 0;
    var counting = false;
    await using var sockets = new BenchSockets((_, frame, _) =>
    {
        var name = frame?["event"]?.GetValue<string>();
        if (name == "pusher_internal:subscription_succeeded")
        {
            Interlocked.Increment(ref joined);
        }
        else if (name == "tick" && Volatile.Read(ref counting))
        {
            Interlocked.Increment(ref deliveries);
        }
    });
    var opening = Stopwatch.StartNew();
    await sockets.OpenAsync(address, fanOutSockets, parallel: 100, (_, _) => ["""{"event":"pusher:subscribe","data":{"channel":"bench-fanout","auth":""}}"""]);
    if (waitForSubscriptions)
    {
        await WaitUntilAsync(() => joined == fanOutSockets, $"{fanOutSockets} subscriptions");
    }

    Console.WriteLine($"   {label}: {fanOutSockets} sockets open and subscribed in {opening.Elapsed.TotalSeconds:0.0} s");
    if (reportMemory)
    {
        await Task.Delay(TimeSpan.FromSeconds(5));
        Console.WriteLine($"2. {fanOutSockets} idle connections: hub resident memory {ResidentMegabytes("VSmenu.Realtime"):0} MB (target < 500 MB)");
    }

    using var ticking = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / EventsPerSecond));
    var clock = Stopwatch.StartNew();
    var warm = TimeSpan.FromSeconds(5);
    var sequence = 0L;
    while (clock.Elapsed < warm + TimeSpan.FromSeconds(seconds))
    {
        if (clock.Elapsed >= warm)
        {
            Volatile.Write(ref counting, true);
        }

        await publish(++sequence);

        await ticking.WaitForNextTickAsync();
    }

    Volatile.Write(ref counting, false);
    var perSecond = Interlocked.Read(ref deliveries) / (clock.Elapsed - warm).TotalSeconds;
    Console.WriteLine($"   {label}: {perSecond:0} deliveries/s to {fanOutSockets} sockets at {EventsPerSecond} events/s (target >= 100,000/s)");
    return perSecond;
}

async Task<long> CreateAsync(string path, object body) =>
    (await (await api.PostAsJsonAsync(path, body)).Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<long>();

async Task<string> ParameterAsync(string name) =>
    await app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>().Single(parameter => parameter.Name == name).GetValueAsync(CancellationToken.None) ?? "";

Uri DirectAddressOf(string resource) =>
    app.ResourceNotifications.TryGetCurrentState(resource, out var state) && VsmenuTopology.DirectAddress(state.Snapshot) is { } direct
        ? direct
        : throw new InvalidOperationException($"{resource} has no address yet.");

static async Task WaitUntilAsync(Func<bool> done, string what)
{
    var waited = Stopwatch.StartNew();
    while (!done())
    {
        if (waited.Elapsed > TimeSpan.FromMinutes(2))
        {
            throw new TimeoutException($"Still waiting for {what}.");
        }

        await Task.Delay(20);
    }
}

static double Percentile(double[] sorted, double quantile) =>
    sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(quantile * sorted.Length) - 1)];

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
