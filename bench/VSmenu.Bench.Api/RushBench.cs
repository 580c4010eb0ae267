using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// A dinner rush: <c>waiters</c> members of one restaurant's staff, each on a tablet of its own, place <c>orders</c>
/// orders apiece at a combined <c>rate</c> (open loop: an order is sent on schedule whether or not the last answered)
/// over a menu of four dishes, most orders on the first. Each order is confirmed by its waiter as soon as it is placed
/// (a Pix order: a payment job). Prints orders/s, POST p50/p99, each job type's dispatch → done, deadlocks, and how long
/// after the last order every job was done.
/// </summary>
internal static class RushBench
{
    /// <summary>Share of orders with the first dish in them: the one everybody orders tonight.</summary>
    private const double HotDishShare = 0.8;

    private const int InitialStock = 1_000_000;

    private static readonly TimeSpan DrainPatience = TimeSpan.FromMinutes(3);

    public static async Task RunAsync(int waiters, int ordersEach, double rate, int workerReplicas)
    {
        await using var app = await VsmenuTopology.StartAsync(
            resourceLogs: null, BenchSettings.EdgeAtLoad, CancellationToken.None, $"VSmenu:WorkerReplicas={workerReplicas}");
        var restaurant = await BenchRestaurant.SignUpAsync(app, clients: 4, stock: InitialStock, products: 4);
        var tablets = await restaurant.AddStaffAsync("waiter", waiters);
        await using var database = NpgsqlDataSource.Create(await app.GetConnectionStringAsync("vsmenudb") ?? "");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
        // Services start cold: the first orders pay for JIT compilation and tier-up, which no restaurant's evening pays.
        // A smaller rush on another restaurant first, drained, so the figures are those of warm services.
        var warmUp = await BenchRestaurant.SignUpAsync(app, clients: 4, stock: InitialStock, products: 4);
        var warmUpOrders = Math.Max(100, 3 * waiters * ordersEach);
        await PlaceAsync(warmUp, await warmUp.AddStaffAsync("waiter", warmUpOrders / 5), Plans(warmUpOrders, warmUp.ProductIds), rate);
        await PlatformWork.WaitUntilDoneAsync(redis, database, DrainPatience);

        var deadlocksBefore = await DeadlocksAsync(database);
        var total = waiters * ordersEach;
        Console.WriteLine($"{waiters} waiters x {ordersEach} orders at {rate:0} orders/s, {workerReplicas} worker replica(s), {Environment.ProcessorCount} cores shared by load and servers, after a warm-up rush of {warmUpOrders} orders");
        var plans = Plans(total, restaurant.ProductIds);
        var (latencies, statuses, placing) = await PlaceAsync(restaurant, tablets, plans, rate);
        TimeSpan? drained = null;
        try
        {
            drained = await PlatformWork.WaitUntilDoneAsync(redis, database, DrainPatience);
        }
        catch (TimeoutException)
        {
            // Reported below with what is still pending; the figures of what did finish are still worth printing.
        }

        var sorted = latencies.Order().ToArray();
        var created = statuses.Count(status => status == HttpStatusCode.Created);
        Console.WriteLine($"orders: {created} of {total} answered 201 in {placing.TotalSeconds:0.0} s = {created / placing.TotalSeconds:0.0} orders/s"
            + $"; POST /orders p50 {Percentiles.Of(sorted, 0.5):0.0} ms, p99 {Percentiles.Of(sorted, 0.99):0.0} ms");
        foreach (var other in statuses.Where(status => status != HttpStatusCode.Created).GroupBy(status => status))
        {
            Console.WriteLine($"  {(int)other.Key}: {other.Count()}");
        }

        foreach (var (job, spans, relayed) in await JobSpansAsync(app, database, restaurant.TenantId))
        {
            var ordered = spans.Order().ToArray();
            var queued = relayed.Order().ToArray();
            Console.WriteLine($"{job,-22} dispatch -> done  p50 {Percentiles.Of(ordered, 0.5),8:0.0} ms   p99 {Percentiles.Of(ordered, 0.99),8:0.0} ms   ({ordered.Length} jobs;"
                + $" outbox -> queue p50 {Percentiles.Of(queued, 0.5):0.0} ms, p99 {Percentiles.Of(queued, 0.99):0.0} ms)");
        }

        var expected = plans.Where((_, index) => statuses[index] == HttpStatusCode.Created).SelectMany(plan => plan)
            .GroupBy(line => line.Product).ToDictionary(group => group.Key, group => group.Sum(line => line.Quantity));
        var stock = await StockAsync(database, restaurant.ProductIds);
        var stockRight = restaurant.ProductIds.All(id => stock[id] == InitialStock - expected.GetValueOrDefault(id));
        Console.WriteLine($"stock taken: {string.Join(", ", restaurant.ProductIds.Select(id => $"{InitialStock - stock[id]}/{expected.GetValueOrDefault(id)}"))} ({(stockRight ? "exact" : "WRONG")})");
        Console.WriteLine($"deadlocks: {await DeadlocksAsync(database) - deadlocksBefore}; failed jobs: {await CountAsync(database, $"SELECT count(*) FROM failed_jobs WHERE tenant_id = {restaurant.TenantId}")}");
        Console.WriteLine(drained is { } after
            ? $"every job done {after.TotalSeconds:0.0} s after the last order (target <= 5 s at 50 orders/s)"
            : $"NOT done {DrainPatience.TotalSeconds:0} s after the last order: {await PlatformWork.PendingAsync(redis, database)} jobs and outbox rows pending");
    }

    /// <summary>Places one order per plan, open loop at <paramref name="rate"/>, each confirmed by its waiter once answered.</summary>
    private static async Task<(double[] Latencies, HttpStatusCode[] Statuses, TimeSpan Placing)> PlaceAsync(
        BenchRestaurant restaurant, HttpClient[] tablets, (long Product, int Quantity)[][] plans, double rate)
    {
        var latencies = new double[plans.Length];
        var statuses = new HttpStatusCode[plans.Length];
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, plans.Length).Select(async index =>
        {
            var due = TimeSpan.FromSeconds(index / rate);
            if (due > clock.Elapsed)
            {
                await Task.Delay(due - clock.Elapsed);
            }

            var tablet = tablets[index % tablets.Length];
            var sent = Stopwatch.GetTimestamp();
            using var response = await tablet.PostAsJsonAsync("/api/v1/orders", new
            {
                type = "takeaway",
                customer_id = restaurant.CustomerId,
                payment_method = "pix",
                items = plans[index].Select(line => new { product_id = line.Product, quantity = line.Quantity }),
            });
            latencies[index] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
            statuses[index] = response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Created)
            {
                var id = (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["id"]!.GetValue<long>();
                using var confirmed = await tablet.PatchAsJsonAsync($"/api/v1/orders/{id}", new { status = "confirmed" });
            }
        }));
        return (latencies, statuses, clock.Elapsed);
    }

    private static (long Product, int Quantity)[][] Plans(int count, long[] products)
    {
        var random = new Random(19);
        return [.. Enumerable.Range(0, count).Select(_ => Lines(random, products))];
    }

    private static (long Product, int Quantity)[] Lines(Random random, long[] products)
    {
        var lines = new List<(long, int)>();
        if (random.NextDouble() < HotDishShare)
        {
            lines.Add((products[0], random.Next(1, 3)));
        }

        foreach (var other in products.Skip(1).Where(_ => random.NextDouble() < 0.3))
        {
            lines.Add((other, 1));
        }

        return lines.Count > 0 ? [.. lines] : [(products[1 + random.Next(products.Length - 1)], 1)];
    }

    /// <summary>
    /// Per job type: dispatch (the outbox row's commit-time stamp) to done, and the part of it the relay took to put the
    /// job on the queue; done is read from what each job leaves: the stock movement, the payment, and the restaurant's
    /// mail in smtp4dev (the notification's last step).
    /// </summary>
    private static async Task<IReadOnlyList<(string Job, List<double> Spans, List<double> Relayed)>> JobSpansAsync(DistributedApplication app, NpgsqlDataSource database, long tenantId)
    {
        var dispatched = new Dictionary<(string Job, long Order), (DateTimeOffset Committed, DateTimeOffset Queued)>();
        await using (var command = database.CreateCommand(
            $"SELECT job, (payload::jsonb->'data'->>'order_id')::bigint, created_at, dispatched_at FROM outbox_jobs WHERE tenant_id = {tenantId}"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                dispatched[(reader.GetString(0), reader.GetInt64(1))] = (reader.GetFieldValue<DateTimeOffset>(2), reader.GetFieldValue<DateTimeOffset>(3));
            }
        }

        var done = new List<(string Job, long Order, DateTimeOffset At)>();
        await using (var command = database.CreateCommand(
            $"""
            SELECT 'UpdateInventory', order_id, max(created_at) FROM stock_movements WHERE tenant_id = {tenantId} GROUP BY order_id
            UNION ALL SELECT 'ProcessPayment', order_id, updated_at FROM payments WHERE tenant_id = {tenantId}
            """))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                done.Add((reader.GetString(0), reader.GetInt64(1), reader.GetFieldValue<DateTimeOffset>(2)));
            }
        }

        using var mailbox = app.CreateHttpClient("smtp4dev", "http");
        var messages = JsonNode.Parse(await mailbox.GetStringAsync("/api/messages?pageSize=100000"))!["results"]!.AsArray();
        foreach (var message in messages)
        {
            var subject = message!["subject"]!.GetValue<string>();
            if (subject.StartsWith("Novo pedido #", StringComparison.Ordinal)
                && long.TryParse(subject["Novo pedido #".Length..], CultureInfo.InvariantCulture, out var order))
            {
                done.Add(("SendOrderNotification", order, DateTimeOffset.Parse(message["receivedDate"]!.GetValue<string>(), CultureInfo.InvariantCulture)));
            }
        }

        return done
            .Where(end => dispatched.ContainsKey((end.Job, end.Order)))
            .GroupBy(end => end.Job)
            .Select(group => (
                group.Key,
                group.Select(end => (end.At - dispatched[(end.Job, end.Order)].Committed).TotalMilliseconds).ToList(),
                group.Select(end => (dispatched[(end.Job, end.Order)].Queued - dispatched[(end.Job, end.Order)].Committed).TotalMilliseconds).ToList()))
            .OrderBy(job => job.Key)
            .ToList();
    }

    private static async Task<Dictionary<long, int>> StockAsync(NpgsqlDataSource database, long[] products)
    {
        var stock = new Dictionary<long, int>();
        await using var command = database.CreateCommand($"SELECT id, stock_quantity FROM products WHERE id IN ({string.Join(',', products)})");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            stock[reader.GetInt64(0)] = reader.GetInt32(1);
        }

        return stock;
    }

    private static Task<long> DeadlocksAsync(NpgsqlDataSource database) =>
        CountAsync(database, "SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");

    private static async Task<long> CountAsync(NpgsqlDataSource database, string sql)
    {
        await using var command = database.CreateCommand(sql);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
