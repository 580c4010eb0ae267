using System.Net;
using Npgsql;
using VSmenu.Data.Sync;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Every broadcast state change is written to the outbox with the change, and the worker's relay publishes it to Redis.</summary>
public sealed class OutboxTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Order_events_reach_the_orders_and_kitchen_channels_with_the_spec_payload_and_the_socket_id()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(25.50m);
        await using var listener = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);
        var orders = $"private-orders.{owner.TenantId}";
        var kitchen = $"private-kitchen.{owner.TenantId}";

        var order = (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(menu.CustomerId, menu.Products[0], 2), socketId: "1234.5678")).AssertStatus(HttpStatusCode.Created);
        (await owner.PatchAsync($"/api/v1/orders/{order.Id}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        (await owner.PatchAsync($"/api/v1/orders/{order.Id}", new { status = "cancelled", cancellation_reason = "sem gás" })).AssertStatus(HttpStatusCode.OK);

        var created = await listener.WaitForAsync("order.created", orders, order.Id);
        await listener.WaitForAsync("order.created", kitchen, order.Id);
        var changed = await listener.WaitForAsync("order.status.changed", orders, order.Id);
        var cancelled = await listener.WaitForAsync("order.cancelled", kitchen, order.Id);

        var payload = created.Data["order"]!;
        Assert.Equal("João Silva", payload["customer_name"]!.GetValue<string>());
        Assert.Equal("51.00", payload["total"]!.ToJsonString());
        Assert.Equal("pending", payload["status"]!.GetValue<string>());
        Assert.Equal(order.Data["created_at"]!.GetValue<string>(), payload["created_at"]!.GetValue<string>());
        Assert.Equal("1234.5678", created.Message.Socket);
        Assert.Equal($"vsmenu:broadcast:{orders}", created.RedisChannel);
        Assert.Equal(("confirmed", "pending"), (changed.Data["order"]!["status"]!.GetValue<string>(), changed.Data["order"]!["previous_status"]!.GetValue<string>()));
        Assert.Null(changed.Message.Socket);
        Assert.Equal("sem gás", cancelled.Data["order"]!["cancellation_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task Table_status_and_stock_outs_are_broadcast()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var categoryId = await owner.CreateCategoryAsync();
        var productId = await owner.CreateProductAsync(categoryId, 9.00m, "Pudim", stock: 2);
        var tableId = await owner.CreateTableAsync(4);
        await using var listener = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);

        (await owner.PatchAsync($"/api/v1/tables/{tableId}", new { status = "occupied" })).AssertStatus(HttpStatusCode.OK);
        (await owner.PatchAsync($"/api/v1/products/{productId}", new { stock_quantity = 0 })).AssertStatus(HttpStatusCode.OK);

        var table = await listener.WaitForAsync("table.status.changed", $"private-tables.{owner.TenantId}", tableId, entity: "table");
        var stockOut = await listener.WaitForAsync("product.out.of.stock", $"private-kitchen.{owner.TenantId}", productId, entity: "product");
        Assert.Equal(("occupied", "available"), (table.Data["table"]!["status"]!.GetValue<string>(), table.Data["table"]!["previous_status"]!.GetValue<string>()));
        Assert.Equal(0, stockOut.Data["product"]!["stock_quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task Outbox_rows_commit_with_the_change_and_are_stamped_once_published()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        await using var listener = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);

        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
        var refused = await owner.PostAsync("/api/v1/orders", new { type = "takeaway", customer_id = menu.CustomerId, items = new[] { new { product_id = menu.Products[0], quantity = 1, price = 1.00m } } });
        await listener.WaitForAsync("order.created", $"private-kitchen.{owner.TenantId}", order.Id);

        refused.AssertStatus(HttpStatusCode.UnprocessableEntity);
        var rows = await Eventually.ReturnsAsync(() => OutboxRowsAsync(topology, owner.TenantId), rows => rows.All(row => row.Published), "stamped published");
        Assert.Equal([("order.created", $"private-kitchen.{owner.TenantId}"), ("order.created", $"private-orders.{owner.TenantId}")], rows.Select(row => (row.Event, row.Channel)).Order());
    }

    /// <summary>The tenant's outbox rows but <c>sync.changed</c>, which every change of a synced record adds (<see cref="SyncTests"/> has those).</summary>
    internal static async Task<List<(string Event, string Channel, bool Published)>> OutboxRowsAsync(TopologyFixture topology, long tenantId)
    {
        await using var connection = await topology.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand($"SELECT event, channel, published_at IS NOT NULL FROM outbox_messages WHERE tenant_id = {tenantId} AND event <> '{SyncTracking.ChangedEvent}' ORDER BY id", connection);
        await using var reader = await command.ExecuteReaderAsync(Cancellation);
        var rows = new List<(string, string, bool)>();
        while (await reader.ReadAsync(Cancellation))
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetBoolean(2)));
        }

        return rows;
    }
}
