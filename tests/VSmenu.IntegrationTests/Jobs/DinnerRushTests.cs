using System.Net;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Jobs;

/// <summary>A busy night on one dish: many waiters of one restaurant, each on a tablet of their own, ordering it at once.</summary>
public sealed class DinnerRushTests(TopologyFixture topology)
{
    private const int Waiters = 48;
    private const int OrdersEach = 5;

    [Fact]
    public async Task Forty_eight_waiters_ordering_one_dish_at_once_take_exactly_what_was_ordered_without_a_deadlock()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var categoryId = await owner.CreateCategoryAsync();
        var hot = await owner.CreateProductAsync(categoryId, 32m, "Feijoada", stock: 5_000);
        var side = await owner.CreateProductAsync(categoryId, 8m, "Caipirinha", stock: 5_000);
        var customerId = await owner.CreateCustomerAsync();
        var waiters = new List<ApiSession>();
        for (var i = 0; i < Waiters; i++)
        {
            // One after another: each sign-in hashes a password, and 48 at once would only measure that.
            waiters.Add(await owner.AddStaffAsync("waiter"));
        }

        var deadlocksBefore = await DeadlocksAsync();

        // Every waiter places their orders at the same moment; half of the orders add a drink, on the same line twice.
        var orders = await Task.WhenAll(waiters.SelectMany((waiter, w) => Enumerable.Range(0, OrdersEach).Select(async o =>
        {
            var withDrink = (w + o) % 2 == 0;
            var items = withDrink
                ? new object[] { new { product_id = hot, quantity = 2 }, new { product_id = side, quantity = 1 }, new { product_id = side, quantity = 1 } }
                : new object[] { new { product_id = hot, quantity = 1 } };
            var response = await waiter.PostAsync("/api/v1/orders", new { type = "takeaway", customer_id = customerId, items });
            return (Response: response, HotUnits: withDrink ? 2 : 1, SideUnits: withDrink ? 2 : 0);
        })));
        Assert.All(orders, order => order.Response.AssertStatus(HttpStatusCode.Created));
        var (hotOrdered, sideOrdered) = (orders.Sum(order => order.HotUnits), orders.Sum(order => order.SideUnits));

        await Eventually.ReturnsAsync(
            () => StockAsync(hot, side),
            stock => stock == (5_000 - hotOrdered, 5_000 - sideOrdered),
            $"stock at {5_000 - hotOrdered} and {5_000 - sideOrdered}");
        Assert.Equal((long)orders.Length + orders.Count(order => order.SideUnits > 0),
            await topology.QueryScalarAsync<long>($"SELECT count(*) FROM stock_movements WHERE tenant_id = {owner.TenantId}"));
        Assert.Equal(0L, await topology.QueryScalarAsync<long>($"SELECT count(*) FROM failed_jobs WHERE tenant_id = {owner.TenantId}"));
        Assert.Equal(deadlocksBefore, await DeadlocksAsync());
        // The stock is taken first (its share of slots); the rush is over when its mails are out too.
        var notified = orders.Select(order => new Mailbox.Message(owner.Email, $"Novo pedido #{order.Response.Id}")).ToArray();
        await Eventually.ReturnsAsync(new Mailbox(topology).ListAsync, mails => notified.All(mails.Contains), "every order of the rush notified", TimeSpan.FromMinutes(2));
        foreach (var waiter in waiters)
        {
            waiter.Dispose();
        }
    }

    [Fact]
    public async Task Stock_takes_held_up_on_a_locked_dish_leave_notifications_flowing()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (hot, customerId) = await owner.CreateStockedDishAsync("Feijoada", 32m, stock: 1_000);
        var waiters = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => owner.AddStaffAsync("waiter")));

        // A transaction of the test holds the dish's row as a stuck stock take would: every other take of it waits.
        await using var holding = await topology.HoldProductRowAsync(hot);

        // More orders than the topology has worker slots (2 replicas x 16): unlimited, their stock takes would hold them all.
        var orders = await Task.WhenAll(waiters.SelectMany(waiter => Enumerable.Range(0, 9).Select(async _ =>
            (await waiter.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, hot)))
                .AssertStatus(HttpStatusCode.Created).Id)));

        // The stock jobs time out after 30 s and would free their slots then: the mails must come well before.
        var expected = orders.Select(id => new Mailbox.Message(owner.Email, $"Novo pedido #{id}")).ToArray();
        await Eventually.ReturnsAsync(new Mailbox(topology).ListAsync, mails => expected.All(mails.Contains), "every order notified while its stock take waits", TimeSpan.FromSeconds(20));
        Assert.Equal(1_000, (await StockAsync(hot, hot)).Hot);

        await holding.DisposeAsync();
        await Eventually.ReturnsAsync(() => StockAsync(hot, hot), stock => stock.Hot == 1_000 - orders.Length, "stock taken once the row is free");
        foreach (var waiter in waiters)
        {
            waiter.Dispose();
        }
    }

    private async Task<(int Hot, int Side)> StockAsync(long hot, long side) =>
        (await topology.QueryScalarAsync<int>($"SELECT stock_quantity FROM products WHERE id = {hot}"),
         await topology.QueryScalarAsync<int>($"SELECT stock_quantity FROM products WHERE id = {side}"));

    private Task<long> DeadlocksAsync() =>
        topology.QueryScalarAsync<long>("SELECT deadlocks FROM pg_stat_database WHERE datname = current_database()");
}
