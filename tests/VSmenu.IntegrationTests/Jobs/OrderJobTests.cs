using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using UglyToad.PdfPig;
using VSmenu.Data.Orders;
using VSmenu.IntegrationTests.Api;
using VSmenu.Queue;

namespace VSmenu.IntegrationTests.Jobs;

/// <summary>The jobs an order causes, end to end: dispatched through the outbox, run by the worker, effects seen from outside.</summary>
public sealed class OrderJobTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_order_mails_the_customer_and_the_restaurant_through_the_smtp_sink()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(25.50m);
        var customerEmail = ApiSession.UniqueEmail("customer");
        var customerId = (await owner.PostAsync("/api/v1/customers", new { name = "Maria", email = customerEmail, phone = "+5511999990000" }))
            .AssertStatus(HttpStatusCode.Created).Id;

        var order = (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, menu.Products[0], 2))).AssertStatus(HttpStatusCode.Created);

        var toCustomer = new Mailbox.Message(customerEmail, $"Cantina São João: pedido #{order.Id} recebido");
        var toRestaurant = new Mailbox.Message(owner.Email, $"Novo pedido #{order.Id}");
        var mails = await new Mailbox(topology).WaitForAsync(toCustomer, toRestaurant);
        Assert.Single(mails, mail => mail.To == customerEmail);
        Assert.Single(mails, mail => mail.To == owner.Email && mail.Subject.StartsWith("Novo pedido", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_order_takes_its_items_out_of_stock_once_even_when_its_job_runs_again()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var categoryId = await owner.CreateCategoryAsync();
        var tracked = await owner.CreateProductAsync(categoryId, 10m, "Coxinha", stock: 10);
        var untracked = await owner.CreateProductAsync(categoryId, 5m, "Água");
        var customerId = await owner.CreateCustomerAsync();

        var order = (await owner.PostAsync("/api/v1/orders", new
        {
            type = "takeaway",
            customer_id = customerId,
            items = new object[] { new { product_id = tracked, quantity = 3 }, new { product_id = untracked, quantity = 1 }, new { product_id = tracked, quantity = 1 } },
        })).AssertStatus(HttpStatusCode.Created);

        await WaitForStockAsync(tracked, 6);
        await using (var queue = await TopologyQueue.ConnectAsync(topology))
        {
            await queue.Queue.DispatchAsync(new UpdateInventory(owner.TenantId, order.Id), cancellationToken: Cancellation);
        }

        await WaitForMovementRunAsync(order.Id);
        var product = (await owner.GetAsync($"/api/v1/products/{tracked}")).AssertStatus(HttpStatusCode.OK).Data;
        Assert.Equal((6, true), (product["stock_quantity"]!.GetValue<int>(), product["is_available"]!.GetValue<bool>()));
        Assert.Null((await owner.GetAsync($"/api/v1/products/{untracked}")).Data["stock_quantity"]);
    }

    [Fact]
    public async Task The_order_that_takes_the_last_units_makes_the_product_unavailable_and_announces_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (productId, customerId) = await owner.CreateStockedDishAsync("Pudim", 9m, stock: 2);
        await using var listener = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);

        (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, productId, 2)))
            .AssertStatus(HttpStatusCode.Created);

        var stockOut = await listener.WaitForAsync("product.out.of.stock", $"private-kitchen.{owner.TenantId}", productId, entity: "product");
        Assert.Equal((0, false), (stockOut.Data["product"]!["stock_quantity"]!.GetValue<int>(), stockOut.Data["product"]!["is_available"]!.GetValue<bool>()));
        var product = (await owner.GetAsync($"/api/v1/products/{productId}")).Data;
        Assert.Equal((0, false), (product["stock_quantity"]!.GetValue<int>(), product["is_available"]!.GetValue<bool>()));
        var refused = await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, productId));
        refused.AssertStatus(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Orders_accepted_together_for_more_than_is_left_empty_the_stock_without_going_below_zero_and_announce_it_once()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (productId, customerId) = await owner.CreateStockedDishAsync("Pudim", 9m, stock: 3);

        // Both orders are accepted against the 3 units on the shelf before either take runs: a test transaction holds
        // the dish's row as a busy night's queue of takes would.
        await using (await topology.HoldProductRowAsync(productId))
        {
            foreach (var _ in Enumerable.Range(0, 2))
            {
                (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, productId, 2)))
                    .AssertStatus(HttpStatusCode.Created);
            }
        }

        await Eventually.ReturnsAsync(
            () => topology.QueryScalarAsync<long>($"SELECT count(*) FROM stock_movements WHERE product_id = {productId}"), takes => takes == 2, "both takes done");
        var product = (await owner.GetAsync($"/api/v1/products/{productId}")).Data;
        Assert.Equal((0, false), (product["stock_quantity"]!.GetValue<int>(), product["is_available"]!.GetValue<bool>()));
        Assert.Equal(1, await topology.QueryScalarAsync<long>(
            $"SELECT count(*) FROM outbox_messages WHERE event = 'product.out.of.stock' AND channel = 'private-kitchen.{owner.TenantId}'"));
    }

    [Fact]
    public async Task A_completed_order_gets_a_pdf_invoice_served_by_the_api()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(25.50m, 7.25m);
        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, 2), (1, 1))).AssertStatus(HttpStatusCode.Created);
        var early = await owner.GetAsync($"/api/v1/orders/{order.Id}/invoice");

        foreach (var status in new[] { "confirmed", "preparing", "ready", "picked_up", "completed" })
        {
            (await owner.PatchAsync($"/api/v1/orders/{order.Id}", new { status })).AssertStatus(HttpStatusCode.OK);
        }

        var response = await Eventually.ReturnsAsync(
            () => owner.Http.GetAsync($"/api/v1/orders/{order.Id}/invoice", Cancellation), answer => answer.StatusCode == HttpStatusCode.OK, "invoice served");
        Assert.Equal(HttpStatusCode.NotFound, early.Status);
        Assert.Contains("ainda não foi gerada", early.Message);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType!.MediaType);
        using var pdf = PdfDocument.Open(await response.Content.ReadAsByteArrayAsync(Cancellation));
        var text = string.Concat(pdf.GetPages().Select(page => page.Text));
        Assert.Contains($"NF-{order.Id:D6}", text);
        Assert.Contains("2 x Produto 0", text);
        Assert.Contains("58,25", text);
        using var stranger = await ApiSession.RegisterAsync(topology);
        (await stranger.GetAsync($"/api/v1/orders/{order.Id}/invoice")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Jobs_are_written_to_the_outbox_with_the_order_and_carry_the_request_trace()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10m);
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(new { type = "delivery", customer_id = menu.CustomerId, delivery_address_id = await owner.CreateAddressAsync(menu.CustomerId), items = new[] { new { product_id = menu.Products[0], quantity = 1 } } }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01");

        var order = await ApiResponse.ReadAsync(await owner.Http.SendAsync(request, Cancellation));
        order.AssertStatus(HttpStatusCode.Created);

        await using var connection = await topology.OpenDatabaseAsync();
        await using var select = new NpgsqlCommand("SELECT job, payload::text FROM outbox_jobs WHERE payload -> 'data' ->> 'order_id' = $1 ORDER BY id", connection);
        select.Parameters.Add(new NpgsqlParameter<string> { TypedValue = order.Id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var jobs = new List<(string Job, JsonNode Payload)>();
        await using (var reader = await select.ExecuteReaderAsync(Cancellation))
        {
            while (await reader.ReadAsync(Cancellation))
            {
                jobs.Add((reader.GetString(0), JsonNode.Parse(reader.GetString(1))!));
            }
        }

        Assert.Equal(["SendOrderNotification", "UpdateInventory", "SyncWithExternalAPI"], jobs.Select(job => job.Job));
        Assert.All(jobs, job =>
        {
            Assert.Contains(traceId, job.Payload["trace_parent"]!.GetValue<string>());
            Assert.Equal(owner.TenantId, job.Payload["tenant_id"]!.GetValue<long>());
        });
        Assert.Equal(Queues.High, jobs[0].Payload["queue"]!.GetValue<string>());
        Assert.Equal([10, 30, 60], jobs[0].Payload["backoff"]!.AsArray().Select(value => value!.GetValue<int>()));
    }

    /// <summary>Polls the database, not the api: a poll every 50 ms would spend the caller's rate limit.</summary>
    private async Task WaitForStockAsync(long productId, int expected)
    {
        await using var connection = await topology.OpenDatabaseAsync();
        await Eventually.ReturnsAsync(
            async () =>
            {
                await using var select = new NpgsqlCommand($"SELECT stock_quantity FROM products WHERE id = {productId}", connection);
                return (int)(await select.ExecuteScalarAsync(Cancellation))!;
            },
            stock => stock == expected, $"stock {expected}");
    }

    /// <summary>Waits until the pushed duplicate has run: the queue keeps no trace of a finished job, the worker's log does.</summary>
    private Task WaitForMovementRunAsync(long orderId) =>
        topology.ReadLogsUntilAsync("worker", line => line.Contains($"Order {orderId} has no stock left to take", StringComparison.Ordinal));
}
