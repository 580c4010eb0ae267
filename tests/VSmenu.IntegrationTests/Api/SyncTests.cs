using System.Net;
using System.Text.Json.Nodes;
using VSmenu.Data.Jobs;
using VSmenu.IntegrationTests.Jobs;
using VSmenu.IntegrationTests.Realtime;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Offline sync for POS terminals: pulls that never skip a change and pushes applied exactly once, on the real topology.</summary>
public sealed class SyncTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_full_pull_then_incremental_pulls_carry_every_kind_of_record_its_changes_and_tombstones_and_nothing_of_another_restaurant()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var neighbour = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m, 20.00m);
        var addressId = await owner.CreateAddressAsync(menu.CustomerId);
        var tableId = await owner.CreateTableAsync(7);
        var orderId = (await owner.CreateTakeawayOrderAsync(menu, (0, 2), (1, 1))).AssertStatus(HttpStatusCode.Created).Id;
        var neighbourMenu = await neighbour.CreateMenuAsync(5.00m);

        // Pages of two, so the full pull crosses page boundaries inside one version too.
        var full = await PullAllAsync(owner, cursor: null, limit: 2);
        Assert.Equal(
            new[] { ("categories", menu.CategoryId), ("customers", menu.CustomerId), ("orders", orderId), ("products", menu.Products[0]), ("products", menu.Products[1]), ("tables", tableId) }.Order(),
            full.Changes.Select(Key).Order());
        Assert.All(full.Changes, change => Assert.Equal("put", change["op"]!.GetValue<string>()));
        Assert.Equal((await owner.GetAsync($"/api/v1/tables/{tableId}")).Data.ToJsonString(), Find(full, "tables", tableId)["data"]!.ToJsonString());
        Assert.Equal(addressId, Find(full, "customers", menu.CustomerId)["data"]!["addresses"]![0]!["id"]!.GetValue<long>());
        var order = Find(full, "orders", orderId)["data"]!;
        Assert.Equal((await owner.GetAsync($"/api/v1/orders/{orderId}")).Data["items"]!.ToJsonString(), order["items"]!.ToJsonString());
        Assert.Equal("40.00", order["total"]!.ToJsonString());

        (await owner.PatchAsync($"/api/v1/products/{menu.Products[1]}", new { price = 22.50m })).AssertStatus(HttpStatusCode.OK);
        (await owner.PatchAsync($"/api/v1/customers/{menu.CustomerId}/addresses/{addressId}", new { label = "Casa" })).AssertStatus(HttpStatusCode.OK);
        (await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        (await owner.DeleteAsync($"/api/v1/tables/{tableId}")).AssertStatus(HttpStatusCode.NoContent);
        var drinks = await owner.CreateCategoryAsync("Bebidas");
        (await owner.DeleteAsync($"/api/v1/categories/{drinks}")).AssertStatus(HttpStatusCode.NoContent);
        (await neighbour.PatchAsync($"/api/v1/products/{neighbourMenu.Products[0]}", new { price = 6.00m })).AssertStatus(HttpStatusCode.OK);

        var incremental = await PullAllAsync(owner, full.Cursor, limit: 500);
        var changed = incremental.Changes.ToDictionary(Key, change => change["op"]!.GetValue<string>());
        Assert.Equal("put", changed[("products", menu.Products[1])]);
        Assert.Equal("put", changed[("customers", menu.CustomerId)]);
        Assert.Equal("put", changed[("orders", orderId)]);
        Assert.Equal("delete", changed[("tables", tableId)]);
        Assert.Equal("delete", changed[("categories", drinks)]);
        Assert.DoesNotContain(("categories", menu.CategoryId), changed.Keys);
        Assert.DoesNotContain(("products", neighbourMenu.Products[0]), changed.Keys);
        Assert.Equal("22.50", Find(incremental, "products", menu.Products[1])["data"]!["price"]!.ToJsonString());
        Assert.Equal("Casa", Find(incremental, "customers", menu.CustomerId)["data"]!["addresses"]![0]!["label"]!.GetValue<string>());
        Assert.Equal("confirmed", Find(incremental, "orders", orderId)["data"]!["status"]!.GetValue<string>());
        Assert.Null(Find(incremental, "tables", tableId)["data"]);

        var neighbourView = await PullAllAsync(neighbour, cursor: null, limit: 500);
        // By entity and id: ids are per table, so a neighbour's category may well share a number with this table.
        Assert.DoesNotContain(neighbourView.Changes, change => Key(change) is var key && (key == ("orders", orderId) || key == ("customers", menu.CustomerId) || key == ("tables", tableId)));
    }

    [Fact]
    public async Task A_change_whose_transaction_began_earlier_and_committed_later_is_still_pulled_by_a_client_that_pulled_in_between()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m, 20.00m);
        var before = await PullAllAsync(owner, cursor: null, limit: 500);

        await using var database = await topology.OpenDatabaseAsync();
        await using (var late = await database.BeginTransactionAsync(Cancellation))
        {
            await using (var rename = new Npgsql.NpgsqlCommand($"UPDATE products SET name = 'Feita antes' WHERE id = {menu.Products[0]}", database, late))
            {
                await rename.ExecuteNonQueryAsync(Cancellation);
            }

            (await owner.PatchAsync($"/api/v1/products/{menu.Products[1]}", new { name = "Feita depois" })).AssertStatus(HttpStatusCode.OK);
            // The later transaction has committed, the earlier one has not: the pull serves neither yet, and says to come back.
            var between = (await owner.GetAsync($"/api/v1/sync/pull?cursor={before.Cursor}")).AssertStatus(HttpStatusCode.OK).Data;
            Assert.Empty(between["changes"]!.AsArray());
            Assert.True(between["has_more"]!.GetValue<bool>());

            await late.CommitAsync(Cancellation);
            var after = await PullAllAsync(owner, between["cursor"]!.GetValue<string>(), limit: 500);
            Assert.Equal([("products", menu.Products[0]), ("products", menu.Products[1])], after.Changes.Select(Key).Order());
            Assert.Equal("Feita antes", Find(after, "products", menu.Products[0])["data"]!["name"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task A_cursor_older_than_the_kept_tombstones_is_a_410_that_asks_for_a_reset_and_bad_cursors_and_limits_are_400s()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var categoryId = await owner.CreateCategoryAsync("Sazonal");
        var before = await PullAllAsync(owner, cursor: null, limit: 500);
        (await owner.DeleteAsync($"/api/v1/categories/{categoryId}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Equal("delete", (await PullAllAsync(owner, before.Cursor, limit: 500)).Changes.Single()["op"]!.GetValue<string>());

        await topology.ExecuteSqlAsync($"UPDATE sync_changes SET changed_at = now() - interval '31 days' WHERE tenant_id = {owner.TenantId} AND entity_id = {categoryId}");
        await using (var queue = await TopologyQueue.ConnectAsync(topology))
        {
            await queue.Queue.DispatchAsync(new CleanupOldData(), cancellationToken: Cancellation);
        }

        var gone = await Eventually.ReturnsAsync(() => owner.GetAsync($"/api/v1/sync/pull?cursor={before.Cursor}"),
            pull => pull.Status == HttpStatusCode.Gone, "a 410 for a cursor from before the purged tombstone");
        Assert.True(gone.Body!["reset_required"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(gone.Message));
        var restart = await PullAllAsync(owner, cursor: null, limit: 500);
        Assert.DoesNotContain(("categories", categoryId), restart.Changes.Select(Key));
        (await owner.GetAsync($"/api/v1/sync/pull?cursor={restart.Cursor}")).AssertStatus(HttpStatusCode.OK);

        (await owner.GetAsync("/api/v1/sync/pull?cursor=999999999")).AssertStatus(HttpStatusCode.Gone);
        Assert.Contains("cursor", (await owner.GetAsync("/api/v1/sync/pull?cursor=1.pizzas.2")).AssertStatus(HttpStatusCode.BadRequest).Message);
        Assert.Contains("limit", (await owner.GetAsync("/api/v1/sync/pull?limit=1001")).AssertStatus(HttpStatusCode.BadRequest).Message);
        Assert.Contains("since", (await owner.GetAsync("/api/v1/sync/pull?since=1")).AssertStatus(HttpStatusCode.BadRequest).Message);
    }

    [Fact]
    public async Task Twenty_offline_orders_in_one_push_become_twenty_orders_with_their_client_ids_announced_and_worked_and_a_replay_changes_nothing()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (dish, customer) = await owner.CreateStockedDishAsync("Feijoada", 30.00m, stock: 100);
        await using var kitchen = await RealtimeTests.SubscribePrivateAsync(topology, owner, $"private-orders.{owner.TenantId}");
        await using var terminalSocket = await RealtimeTests.SubscribePrivateAsync(topology, owner, $"private-sync.{owner.TenantId}");
        var terminal = Guid.NewGuid();
        var clientIds = Enumerable.Range(0, 20).Select(_ => Guid.CreateVersion7()).ToList();
        var push = new
        {
            client_id = terminal,
            mutations = clientIds.Select((clientId, i) => new
            {
                id = i + 1,
                name = "orders.create",
                args = (object)new { client_id = clientId, type = "takeaway", customer_id = customer, items = new[] { new { product_id = dish, quantity = 1, price = 30.00m } } },
            }).ToArray(),
        };

        var pushed = (await owner.PostAsync("/api/v1/sync/push", push)).AssertStatus(HttpStatusCode.OK);
        var results = pushed.Data["results"]!.AsArray();
        Assert.Equal(20, pushed.Data["last_mutation_id"]!.GetValue<long>());
        Assert.Equal(clientIds.Select(id => id.ToString()), results.Select(result => result!["record"]!["client_id"]!.GetValue<string>()));
        Assert.All(results, result => Assert.Equal("applied", result!["status"]!.GetValue<string>()));
        var orderIds = results.Select(result => result!["record"]!["id"]!.GetValue<long>()).ToHashSet();

        var announced = new HashSet<long>();
        while (announced.Count < 20)
        {
            announced.Add(PusherClient.Data(await kitchen.NextAsync("order.created", $"private-orders.{owner.TenantId}"))["order"]!["id"]!.GetValue<long>());
        }

        Assert.Equal(orderIds, announced);
        Assert.NotNull(PusherClient.Data(await terminalSocket.NextAsync("sync.changed", $"private-sync.{owner.TenantId}"))["cursor"]);
        await Eventually.ReturnsAsync(async () => (await owner.GetAsync($"/api/v1/products/{dish}")).Data["stock_quantity"]!.GetValue<int>(),
            stock => stock == 80, "the stock taken for the twenty pushed orders");

        var replayed = (await owner.PostAsync("/api/v1/sync/push", push)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal(results.Select(r => r!["record"]!["id"]!.GetValue<long>()), replayed.Data["results"]!.AsArray().Select(r => r!["record"]!["id"]!.GetValue<long>()));
        Assert.Equal(20, await CountOrdersAsync(owner));
    }

    [Fact]
    public async Task A_push_naming_its_terminal_s_socket_is_announced_to_the_other_terminals_but_not_echoed_to_that_socket()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(12.00m);
        var (syncChannel, ordersChannel) = ($"private-sync.{owner.TenantId}", $"private-orders.{owner.TenantId}");
        await using var pushing = await RealtimeTests.SubscribePrivateAsync(topology, owner, syncChannel);
        await pushing.SubscribeAsync(ordersChannel, (await RealtimeTests.AuthorizeAsync(owner, pushing.SocketId, ordersChannel)).Body!["auth"]!.GetValue<string>());
        await pushing.NextAsync("pusher_internal:subscription_succeeded", ordersChannel);
        await using var other = await RealtimeTests.SubscribePrivateAsync(topology, owner, syncChannel);
        var push = new
        {
            client_id = Guid.NewGuid(),
            mutations = new[]
            {
                new { id = 1, name = "orders.create", args = (object)new { client_id = Guid.CreateVersion7(), type = "takeaway", customer_id = menu.CustomerId, items = new[] { new { product_id = menu.Products[0], quantity = 1 } } } },
            },
        };

        var pushed = (await owner.PostAsync("/api/v1/sync/push", push, socketId: pushing.SocketId)).AssertStatus(HttpStatusCode.OK);
        // The push answers the cursor just past its own transaction, whose version sync.changed carries.
        var version = (long.Parse(pushed.Data["cursor"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture) - 1)
            .ToString(System.Globalization.CultureInfo.InvariantCulture);
        while (PusherClient.Data(await other.NextAsync("sync.changed", syncChannel))["cursor"]!.GetValue<string>() != version)
        {
        }

        await pushing.AssertNothingAsync(
            frame => frame["event"]?.GetValue<string>() == "order.created"
                || (frame["event"]?.GetValue<string>() == "sync.changed" && PusherClient.Data(frame)["cursor"]!.GetValue<string>() == version),
            "echo of the socket's own push");
    }

    [Fact]
    public async Task Three_concurrent_copies_of_one_push_create_each_order_once_and_a_push_that_skips_a_mutation_is_a_409_naming_the_last_applied()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(12.00m);
        var terminal = Guid.NewGuid();
        object Create(int id) => new { id, name = "orders.create", args = new { client_id = Guid.CreateVersion7(), type = "takeaway", customer_id = menu.CustomerId, items = new[] { new { product_id = menu.Products[0], quantity = id } } } };
        var push = new { client_id = terminal, mutations = Enumerable.Range(1, 10).Select(Create).ToArray() };

        var copies = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => owner.PostAsync("/api/v1/sync/push", push)));
        foreach (var copy in copies)
        {
            copy.AssertStatus(HttpStatusCode.OK);
            Assert.Equal(
                copies[0].Data["results"]!.AsArray().Select(r => r!["record"]!["id"]!.GetValue<long>()),
                copy.Data["results"]!.AsArray().Select(r => r!["record"]!["id"]!.GetValue<long>()));
        }

        Assert.Equal(10, await CountOrdersAsync(owner));

        var gap = (await owner.PostAsync("/api/v1/sync/push", new { client_id = terminal, mutations = new[] { Create(12), Create(13) } }))
            .AssertStatus(HttpStatusCode.Conflict);
        Assert.Equal(10, gap.Body!["last_mutation_id"]!.GetValue<long>());
        Assert.Contains("11", gap.Message);
        Assert.Equal(10, await CountOrdersAsync(owner));
    }

    [Fact]
    public async Task A_rejected_mutation_keeps_its_reason_and_the_server_s_record_and_never_blocks_the_ones_behind_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology, language: "en");
        var menu = await owner.CreateMenuAsync(15.00m);
        var cooked = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created).Id;
        foreach (var status in new[] { "confirmed", "preparing", "ready" })
        {
            (await owner.PatchAsync($"/api/v1/orders/{cooked}", new { status })).AssertStatus(HttpStatusCode.OK);
        }

        var terminal = Guid.NewGuid();
        var fresh = Guid.CreateVersion7();
        var pushed = (await owner.PostAsync("/api/v1/sync/push", new
        {
            client_id = terminal,
            mutations = new object[]
            {
                new { id = 1, name = "orders.create", args = new { client_id = Guid.CreateVersion7(), type = "takeaway", customer_id = menu.CustomerId, items = new[] { new { product_id = menu.Products[0], quantity = 1, price = 14.00m } } } },
                new { id = 2, name = "orders.create", args = new { client_id = fresh, type = "takeaway", customer_id = menu.CustomerId, items = new[] { new { product_id = menu.Products[0], quantity = 2, price = 15.00m } } } },
                new { id = 3, name = "orders.update", args = new { id = cooked, status = "confirmed" } },
                new { id = 4, name = "orders.update", args = new { client_id = fresh, status = "confirmed" } },
            },
        })).AssertStatus(HttpStatusCode.OK);

        var results = pushed.Data["results"]!.AsArray().Select(result => result!).ToList();
        Assert.Equal(["rejected", "applied", "rejected", "applied"], results.Select(result => result["status"]!.GetValue<string>()));
        Assert.Equal(422, results[0]["status_code"]!.GetValue<int>());
        Assert.Contains("15.00", results[0]["errors"]!["items.0.price"]![0]!.GetValue<string>());
        Assert.Equal(409, results[2]["status_code"]!.GetValue<int>());
        Assert.Equal("ready", results[2]["record"]!["status"]!.GetValue<string>());
        Assert.Equal("confirmed", results[3]["record"]!["status"]!.GetValue<string>());
        Assert.Equal(4, pushed.Data["last_mutation_id"]!.GetValue<long>());
        Assert.Equal(2, await CountOrdersAsync(owner));
        Assert.Equal("ready", (await owner.GetAsync($"/api/v1/orders/{cooked}")).Data["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_push_past_the_API_s_usual_body_limit_is_read_whole_and_one_past_its_own_is_a_413()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var customerId = await owner.CreateCustomerAsync();
        var notes = new string('x', 450);
        // 600 orders of a dish that does not exist: about 400 KB, past the 256 KB of other requests, and all refused.
        var mutations = Enumerable.Range(1, 600).Select(id => new
        {
            id,
            name = "orders.create",
            args = new { client_id = Guid.CreateVersion7(), type = "takeaway", customer_id = customerId, notes, items = new[] { new { product_id = long.MaxValue, quantity = 1 } } },
        }).ToArray();

        var pushed = (await owner.PostAsync("/api/v1/sync/push", new { client_id = Guid.NewGuid(), mutations })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal(600, pushed.Data["last_mutation_id"]!.GetValue<long>());
        Assert.All(pushed.Data["results"]!.AsArray(), result => Assert.Equal(422, result!["status_code"]!.GetValue<int>()));
        Assert.Equal(0, await CountOrdersAsync(owner));
        var huge = System.Text.Json.JsonSerializer.Serialize(new { client_id = Guid.NewGuid(), mutations = Enumerable.Repeat(mutations[0], 12_000) });
        (await owner.SendRawAsync(HttpMethod.Post, "/api/v1/sync/push", huge, expectContinue: true)).AssertStatus(HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_REST_change_announces_sync_changed_and_a_REST_create_with_a_client_id_is_idempotent_for_good()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(9.00m);
        var before = await PullAllAsync(owner, cursor: null, limit: 500);
        await using var terminalSocket = await RealtimeTests.SubscribePrivateAsync(topology, owner, $"private-sync.{owner.TenantId}");

        var tableId = await owner.CreateTableAsync(3);
        var pulled = await PullAllAsync(owner, before.Cursor, limit: 500);
        Assert.Equal([("tables", tableId)], pulled.Changes.Select(Key));
        var version = pulled.Changes.Single()["version"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Earlier changes' announcements may still be on their way: the one for the table's version is the one asserted.
        while (PusherClient.Data(await terminalSocket.NextAsync("sync.changed", $"private-sync.{owner.TenantId}"))["cursor"]!.GetValue<string>() != version)
        {
        }

        var clientId = Guid.CreateVersion7();
        var body = new { client_id = clientId, type = "takeaway", customer_id = menu.CustomerId, items = new[] { new { product_id = menu.Products[0], quantity = 1 } } };
        var first = (await owner.PostAsync("/api/v1/orders", body)).AssertStatus(HttpStatusCode.Created);
        var again = (await owner.PostAsync("/api/v1/orders", body)).AssertStatus(HttpStatusCode.Created);
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(clientId.ToString(), again.Data["client_id"]!.GetValue<string>());
        Assert.Equal("true", again.Raw.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(1, await CountOrdersAsync(owner));
    }

    private static (string Entity, long Id) Key(JsonNode change) => (change["entity"]!.GetValue<string>(), change["id"]!.GetValue<long>());

    private static JsonNode Find(Pulled pulled, string entity, long id) => pulled.Changes.Single(change => Key(change) == (entity, id));

    private static async Task<int> CountOrdersAsync(ApiSession session) =>
        (await session.GetAsync("/api/v1/orders?per_page=1")).AssertStatus(HttpStatusCode.OK).Body!["meta"]!["total"]!.GetValue<int>();

    /// <summary>
    /// Pulls page after page until the server says there is no more, as a terminal catching up does: pausing, longer each
    /// time, while a page is empty but changes are still behind a running transaction. The last change of each record.
    /// </summary>
    private static async Task<Pulled> PullAllAsync(ApiSession session, string? cursor, int limit)
    {
        var changes = new Dictionary<(string, long), JsonNode>();
        var pause = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var page = (await session.GetAsync($"/api/v1/sync/pull?limit={limit}{(cursor is null ? "" : $"&cursor={cursor}")}")).AssertStatus(HttpStatusCode.OK).Data;
            var served = page["changes"]!.AsArray().Select(change => change!).ToList();
            foreach (var change in served)
            {
                changes.Remove(Key(change));
                changes[Key(change)] = change;
            }

            cursor = page["cursor"]!.GetValue<string>();
            if (!page["has_more"]!.GetValue<bool>())
            {
                return new Pulled(cursor, changes.Values.ToList());
            }

            if (served.Count == 0)
            {
                await Task.Delay(pause, Cancellation);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
    }

    private sealed record Pulled(string Cursor, IReadOnlyList<JsonNode> Changes);
}
