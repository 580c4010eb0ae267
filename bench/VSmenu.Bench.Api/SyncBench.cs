using System.Diagnostics;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// Offline sync as a POS terminal meets it: a restaurant's <c>orders</c> orders (three lines each) pushed from one
/// terminal in pushes of 500, a full pull of the restaurant (seconds, megabytes), and the incremental loop a terminal
/// runs on every change (a REST change, its <c>sync.changed</c> through the hub, the pull that fetches it). Targets:
/// full pull of 10k orders under 3 s, change to pulled p99 under 100 ms, a push of 500 orders under 2 s.
/// </summary>
internal static class SyncBench
{
    internal const int PushSize = 500;
    private const int PullLimit = 1000;
    private const int ChangeRounds = 200;

    public static async Task RunAsync(int orders)
    {
        await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, BenchSettings.EdgeAtLoad, CancellationToken.None);
        var restaurant = await BenchRestaurant.SignUpAsync(app, clients: 4, products: 3);
        await using var database = NpgsqlDataSource.Create(await app.GetConnectionStringAsync("vsmenudb") ?? "");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
        Console.WriteLine($"one restaurant, {orders} orders of {restaurant.ProductIds.Length} lines pushed {PushSize} at a time (and 3 x {PushSize} more at the end); {Environment.ProcessorCount} cores shared by the bench and every server");

        // A till catching up pushes back to back while the platform works the jobs of the pushes before.
        var terminal = Guid.NewGuid();
        var pushSeconds = new List<double>();
        for (var first = 1; first <= orders; first += PushSize)
        {
            pushSeconds.Add(await PushAsync(restaurant, terminal, first, Math.Min(PushSize, orders - first + 1)));
        }

        var backToBack = pushSeconds.Skip(1).Order().ToArray();
        Console.WriteLine($"push of {PushSize} orders, back to back: first (cold) {pushSeconds[0]:0.00} s; the other {backToBack.Length}: p50 {Percentiles.Of(backToBack, 0.5):0.00} s, max {backToBack.LastOrDefault():0.00} s");
        var drained = await PlatformWork.WaitUntilDoneAsync(redis, database, TimeSpan.FromMinutes(10));
        Console.WriteLine($"(the pushed orders' jobs were done {drained.TotalSeconds:0} s after the last push; what follows runs on a quiet system)");

        for (var round = 1; round <= 3; round++)
        {
            var started = Stopwatch.GetTimestamp();
            var (changes, bytes, pages, _) = await PullAllAsync(restaurant.Http, cursor: null);
            Console.WriteLine($"full pull {round}: {changes} changes in {pages} pages, {bytes / 1_000_000.0:0.0} MB, {Stopwatch.GetElapsedTime(started).TotalSeconds:0.00} s");
        }

        await using var socket = await SyncSocket.OpenAsync(app, restaurant);
        var cursor = (await PullAllAsync(restaurant.Http, cursor: null)).Cursor;
        var tableId = (await (await restaurant.Http.PostAsJsonAsync("/api/v1/tables", new { number = 1, seats = 2 })).Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<long>();
        cursor = (await PullAllAsync(restaurant.Http, cursor)).Cursor;
        var loop = new List<double>();
        for (var round = 0; round < ChangeRounds; round++)
        {
            var started = Stopwatch.GetTimestamp();
            using (var changed = await restaurant.Http.PatchAsJsonAsync($"/api/v1/tables/{tableId}", new { seats = 3 + (round % 10) }))
            {
                changed.EnsureSuccessStatusCode();
            }

            await socket.NextChangeAfterAsync(long.Parse(cursor, System.Globalization.CultureInfo.InvariantCulture));
            var pulled = await PullAllAsync(restaurant.Http, cursor);
            if (pulled.Changes != 1)
            {
                throw new InvalidOperationException($"Pulled {pulled.Changes} changes after one change.");
            }

            cursor = pulled.Cursor;
            loop.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }

        var sorted = loop.Order().ToArray();
        Console.WriteLine($"change -> sync.changed -> pulled ({ChangeRounds} changes, one at a time, from the PATCH sent to the pull answered): p50 {Percentiles.Of(sorted, 0.5):0.0} ms, p99 {Percentiles.Of(sorted, 0.99):0.0} ms");

        // One terminal back online while the rest of the platform is quiet.
        var quiet = new List<double>();
        for (var round = 0; round < 3; round++)
        {
            quiet.Add(await PushAsync(restaurant, Guid.NewGuid(), 1, PushSize));
            await PlatformWork.WaitUntilDoneAsync(redis, database, TimeSpan.FromMinutes(10));
        }

        Console.WriteLine($"push of {PushSize} orders on a quiet system: {string.Join(", ", quiet.Select(seconds => $"{seconds:0.00} s"))}");
    }

    /// <summary>Pushes <paramref name="count"/> new takeaway orders as mutations <paramref name="first"/>... of <paramref name="terminal"/>; the seconds it took.</summary>
    internal static async Task<double> PushAsync(BenchRestaurant restaurant, Guid terminal, int first, int count)
    {
        var mutations = Enumerable.Range(first, count).Select(id => new
        {
            id,
            name = "orders.create",
            args = new { client_id = Guid.CreateVersion7(), type = "takeaway", customer_id = restaurant.CustomerId, items = restaurant.ProductIds.Select(product => new { product_id = product, quantity = 1 }).ToArray() },
        }).ToArray();
        var started = Stopwatch.GetTimestamp();
        using var pushed = await restaurant.Http.PostAsJsonAsync("/api/v1/sync/push", new { client_id = terminal, mutations });
        pushed.EnsureSuccessStatusCode();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<(int Changes, long Bytes, int Pages, string Cursor)> PullAllAsync(HttpClient http, string? cursor)
    {
        var (changes, bytes, pages) = (0, 0L, 0);
        while (true)
        {
            var body = await http.GetStringAsync($"/api/v1/sync/pull?limit={PullLimit}{(cursor is null ? "" : $"&cursor={cursor}")}");
            var page = JsonNode.Parse(body)!["data"]!;
            (changes, bytes, pages) = (changes + page["changes"]!.AsArray().Count, bytes + Encoding.UTF8.GetByteCount(body), pages + 1);
            cursor = page["cursor"]!.GetValue<string>();
            if (!page["has_more"]!.GetValue<bool>())
            {
                return (changes, bytes, pages, cursor);
            }
        }
    }

    /// <summary>A terminal's socket to the hub, subscribed to the restaurant's <c>private-sync</c> channel through the api's channel authorization.</summary>
    private sealed class SyncSocket(ClientWebSocket socket, string channel) : IAsyncDisposable
    {
        private readonly byte[] _buffer = new byte[64 * 1024];

        public static async Task<SyncSocket> OpenAsync(DistributedApplication app, BenchRestaurant restaurant)
        {
            var key = await app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
                .Single(parameter => parameter.Name == "pusher-app-key").GetValueAsync(CancellationToken.None);
            var hub = app.ResourceNotifications.TryGetCurrentState("realtime", out var state) && VsmenuTopology.DirectAddress(state.Snapshot) is { } direct
                ? direct
                : throw new InvalidOperationException("realtime has no address yet.");
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(new UriBuilder(hub) { Scheme = "ws", Path = $"/app/{key}", Query = "protocol=7&client=bench&version=1" }.Uri, CancellationToken.None);
            var channel = $"private-sync.{restaurant.TenantId}";
            var sync = new SyncSocket(socket, channel);
            var established = await sync.NextAsync("pusher:connection_established");
            var socketId = JsonNode.Parse(established["data"]!.GetValue<string>())!["socket_id"]!.GetValue<string>();
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["socket_id"] = socketId, ["channel_name"] = channel });
            using var authorized = await restaurant.Http.PostAsync("/api/v1/broadcasting/auth", form);
            var auth = (await authorized.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>())!["auth"]!.GetValue<string>();
            await sync.SendAsync(new JsonObject { ["event"] = "pusher:subscribe", ["data"] = new JsonObject { ["channel"] = channel, ["auth"] = auth } });
            await sync.NextAsync("pusher_internal:subscription_succeeded");
            return sync;
        }

        /// <summary>The announcement of a transaction at or past <paramref name="version"/>, the line a pull caught up to (earlier ones may still be on their way).</summary>
        public async Task NextChangeAfterAsync(long version)
        {
            while (true)
            {
                var announced = JsonNode.Parse((await NextAsync("sync.changed"))["data"]!.GetValue<string>())!["cursor"]!.GetValue<string>();
                if (long.Parse(announced, System.Globalization.CultureInfo.InvariantCulture) >= version)
                {
                    return;
                }
            }
        }

        private async Task<JsonObject> NextAsync(string eventName)
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(_buffer.AsMemory(count), CancellationToken.None);
                    count += received.Count;
                }
                while (!received.EndOfMessage);

                var frame = JsonNode.Parse(_buffer.AsSpan(0, count))!.AsObject();
                var name = frame["event"]?.GetValue<string>();
                if (name == "pusher:ping")
                {
                    await SendAsync(new JsonObject { ["event"] = "pusher:pong", ["data"] = new JsonObject() });
                }
                else if (name == eventName && (frame["channel"] is null || frame["channel"]!.GetValue<string>() == channel))
                {
                    return frame;
                }
            }
        }

        private Task SendAsync(JsonObject frame) =>
            socket.SendAsync(Encoding.UTF8.GetBytes(frame.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);

        public ValueTask DisposeAsync()
        {
            socket.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
