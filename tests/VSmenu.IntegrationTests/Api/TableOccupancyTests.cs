using System.Net;

namespace VSmenu.IntegrationTests.Api;

/// <summary>A table follows its dine-in orders on the server, also when they close at the same moment.</summary>
public sealed class TableOccupancyTests(TopologyFixture topology)
{
    private const int Tables = 8;

    /// <summary>
    /// Each of two orders closing together saw the other still open and left the table to it: the table stayed occupied
    /// with nobody at it. Eight tables, each with its two orders cancelled at once on both api replicas.
    /// </summary>
    [Fact]
    public async Task A_table_whose_last_two_orders_close_at_the_same_moment_is_free()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(12.00m);
        using var first = await owner.AddStaffAsync("waiter");
        using var second = await owner.AddStaffAsync("waiter");
        var tables = new List<(long Table, long[] Orders)>();
        for (var number = 1; number <= Tables; number++)
        {
            var table = await owner.CreateTableAsync(number);
            var orders = new List<long>();
            foreach (var waiter in new[] { first, second })
            {
                orders.Add((await waiter.PostAsync("/api/v1/orders", new
                {
                    type = "dine_in",
                    table_id = table,
                    items = new[] { new { product_id = menu.Products[0], quantity = 1 } },
                })).AssertStatus(HttpStatusCode.Created).Id);
            }

            tables.Add((table, orders.ToArray()));
        }

        await Task.WhenAll(tables.SelectMany(table => table.Orders.Select(async order =>
            (await owner.PatchAsync($"/api/v1/orders/{order}", new { status = "cancelled", cancellation_reason = "Mesa desistiu" })).AssertStatus(HttpStatusCode.OK))));

        foreach (var (table, _) in tables)
        {
            Assert.Equal("available", (await owner.GetAsync($"/api/v1/tables/{table}")).Data["status"]!.GetValue<string>());
        }
    }
}
