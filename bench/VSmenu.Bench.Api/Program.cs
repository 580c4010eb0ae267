using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using StackExchange.Redis;
using VSmenu.Bench.Api;
using VSmenu.Testing;

// The REST API under closed-loop load from this process, on the whole topology (api, worker, Redis, PostgreSQL)
// on this machine: POST /api/v1/orders with three items, GET /api/v1/orders?include=items,customer, a bare
// endpoint of the same host (/alive), and pgbench committing the same rows. Load generator and servers share the cores.
var seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
var clients = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 64;
var duration = TimeSpan.FromSeconds(seconds);
// Tiered JIT keeps recompiling hot methods for a while under load on two cores; measure after it settles.
var warmUp = TimeSpan.FromSeconds(args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 30);

await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, CancellationToken.None);
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
{
    BaseAddress = DirectAddressOf(app, "api"),
};

var registered = await ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register",
    new { restaurant_name = "Bench", name = "Bench", email = $"bench-{Guid.NewGuid():N}@example.com", password = "benchmark-password" }));
http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registered["token"]!.GetValue<string>());
var tenantId = registered["tenant"]!["id"]!.GetValue<long>();
var categoryId = (await ReadAsync(await http.PostAsJsonAsync("/api/v1/categories", new { name = "Pizzas" })))["id"]!.GetValue<long>();
var productIds = new long[3];
for (var i = 0; i < productIds.Length; i++)
{
    productIds[i] = (await ReadAsync(await http.PostAsJsonAsync("/api/v1/products", new { name = $"Pizza {i}", price = 17.00m, category_id = categoryId })))["id"]!.GetValue<long>();
}

var customerId = (await ReadAsync(await http.PostAsJsonAsync("/api/v1/customers", new { name = "Cliente", email = "cliente@example.com" })))["id"]!.GetValue<long>();
var order = new
{
    type = "takeaway",
    customer_id = customerId,
    payment_method = "pix",
    items = productIds.Select(id => new { product_id = id, quantity = 1, price = 17.00m }).ToArray(),
};

async Task<bool> PostOrder(int _)
{
    using var response = await http.PostAsJsonAsync("/api/v1/orders", order);
    return response.StatusCode == HttpStatusCode.Created;
}

async Task<bool> ListOrders(int _)
{
    using var response = await http.GetAsync("/api/v1/orders?include=items,customer");
    await response.Content.LoadIntoBufferAsync();
    return response.IsSuccessStatusCode;
}

async Task<bool> Bare(int _)
{
    using var response = await http.GetAsync("/alive");
    return response.IsSuccessStatusCode;
}

Console.WriteLine($"api at {http.BaseAddress}");
Console.WriteLine($"{clients} clients, {seconds} s per phase after a {warmUp.TotalSeconds:0} s warm-up, {Environment.ProcessorCount} cores shared by load and servers");
await LoadRun.RunAsync(clients, warmUp, PostOrder);
var post = await LoadRun.RunAsync(clients, duration, PostOrder);
Console.WriteLine($"POST /api/v1/orders (3 items)              {post}");
await LoadRun.RunAsync(clients, warmUp, ListOrders);
var list = await LoadRun.RunAsync(clients, duration, ListOrders);
Console.WriteLine($"GET  /api/v1/orders?include=items,customer {list}");
await LoadRun.RunAsync(clients, warmUp, Bare);
var bare = await LoadRun.RunAsync(clients, duration, Bare);
Console.WriteLine($"GET  /alive (bare endpoint, same host)     {bare}");

var connectionString = await app.GetConnectionStringAsync("vsmenudb") ?? throw new InvalidOperationException("No vsmenudb connection string.");
var pgbenchTps = await Pgbench.RunAsync(connectionString, tenantId, customerId, productIds, clients, duration);
Console.WriteLine($"pgbench, same rows per transaction          {pgbenchTps,8:0} tps");

// Relay latency on an idle system: from the moment the API has answered (the order is committed) to the moment a
// subscriber receives order.created from Redis. Commit precedes the answer, so this over-states commit → PUBLISH.
await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
var received = new System.Collections.Concurrent.ConcurrentDictionary<long, long>();
await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal($"vsmenu:broadcast:private-orders.{tenantId}"), (_, message) =>
{
    var now = Stopwatch.GetTimestamp();
    received.TryAdd(JsonNode.Parse(message.ToString())!["data"]!["order"]!["id"]!.GetValue<long>(), now);
});
var relay = new List<double>();
for (var i = 0; i < 200; i++)
{
    var created = await ReadAsync(await http.PostAsJsonAsync("/api/v1/orders", order));
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
Console.WriteLine($"answer -> order.created received (idle, 200 orders): p50 {LoadRun.Percentile(relaySorted, 0.5):0.0} ms, p99 {LoadRun.Percentile(relaySorted, 0.99):0.0} ms (target < 20 ms)");
Console.WriteLine($"POST /orders vs pgbench: {post.PerSecond / pgbenchTps:0.00}x (target >= 0.5), p99 {post.P99:0.0} ms (target < 50 ms)");
Console.WriteLine($"GET /orders vs bare:     {list.PerSecond / bare.PerSecond:0.00}x (target >= 0.3)");

// The api's own Kestrel address rather than the orchestrator's development proxy in front of it, which would
// otherwise be measured too (production has no such hop).
static Uri DirectAddressOf(Aspire.Hosting.DistributedApplication app, string resource)
{
    app.ResourceNotifications.TryGetCurrentState(resource, out var state);
    var urls = state?.Snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == "ASPNETCORE_URLS")?.Value;
    return urls is null ? app.GetEndpoint(resource, "http") : new Uri(urls.Split(';')[0].Replace("localhost", "127.0.0.1", StringComparison.Ordinal));
}

static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
{
    var body = await response.Content.ReadAsStringAsync();
    return response.IsSuccessStatusCode
        ? JsonNode.Parse(body)!["data"]!
        : throw new InvalidOperationException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}");
}
