using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// What the API's edge costs: GET and POST /api/v1/orders on a topology with the edge as deployed (rate limits counted
/// in Redis, an Idempotency-Key on every POST, one request log record per request) and on one with all three off,
/// booted one after the other with the same data, and the ratio of their throughputs.
/// </summary>
internal static class EdgeBench
{
    /// <summary>Orders in the restaurant before the GET phase, so both runs list the same amount of data.</summary>
    private const int SeededOrders = 100;

    /// <summary>
    /// Alternates the two configurations for <paramref name="rounds"/> rounds, so that drift of the machine (other
    /// load, PostgreSQL's background work) falls on both, and compares their mean throughputs.
    /// </summary>
    public static async Task RunAsync(BenchSettings settings, int rounds)
    {
        Console.WriteLine($"{settings}, {rounds} round(s) of with/without");
        var with = new List<(LoadResult List, LoadResult Post)>();
        var without = new List<(LoadResult List, LoadResult Post)>();
        for (var round = 1; round <= rounds; round++)
        {
            with.Add(await MeasureAsync($"{round}: with edge", BenchSettings.EdgeAtLoad, idempotencyKeys: true, settings));
            without.Add(await MeasureAsync($"{round}: without", BenchSettings.EdgeOff, idempotencyKeys: false, settings));
        }

        Console.WriteLine($"edge overhead, GET  /api/v1/orders: {with.Average(run => run.List.PerSecond) / without.Average(run => run.List.PerSecond):0.00}x of the throughput without it (target >= 0.85)");
        Console.WriteLine($"edge overhead, POST /api/v1/orders: {with.Average(run => run.Post.PerSecond) / without.Average(run => run.Post.PerSecond):0.00}x of the throughput without it (target >= 0.85)");
    }

    private static async Task<(LoadResult List, LoadResult Post)> MeasureAsync(
        string label, IReadOnlyDictionary<string, string> apiEnvironment, bool idempotencyKeys, BenchSettings settings)
    {
        await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, apiEnvironment, CancellationToken.None);
        var restaurant = await BenchRestaurant.SignUpAsync(app, settings.Clients);
        for (var i = 0; i < SeededOrders; i++)
        {
            await restaurant.CreateOrderAsync();
        }

        var list = await settings.MeasureAsync(_ => restaurant.ListOrdersAsync());
        Console.WriteLine($"{label,-16} GET  /api/v1/orders?include=items,customer {list}");
        var post = await settings.MeasureAsync(_ => restaurant.PostOrderAsync(idempotencyKeys ? Guid.NewGuid().ToString() : null));
        Console.WriteLine($"{label,-16} POST /api/v1/orders (3 items)              {post}");
        return (list, post);
    }
}
