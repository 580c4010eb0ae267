using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using VSmenu.Data.Orders;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Jobs;

/// <summary>
/// Payments and the marketplace, through the AppHost's sandbox. Not run in parallel with other tests: they switch the
/// sandbox's providers into failure modes.
/// </summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class ExternalServiceJobTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Confirming_a_card_order_charges_it_at_the_gateway_once_even_when_the_job_runs_again()
    {
        await SetModeAsync("payments", "ok");
        using var owner = await ApiSession.RegisterAsync(topology);
        var orderId = await ConfirmedCardOrderAsync(owner);

        var (status, reference, amount) = await WaitForPaymentAsync(orderId);
        await using (var queue = await TopologyQueue.ConnectAsync(topology))
        {
            await queue.Queue.DispatchAsync(new ProcessPayment(owner.TenantId, orderId), cancellationToken: Cancellation);
        }

        await topology.ReadLogsUntilAsync("worker", line => line.Contains($"ProcessPayment for order {orderId} already recorded", StringComparison.Ordinal));
        Assert.Equal("captured", status);
        Assert.StartsWith("ch_", reference);
        Assert.Equal(51.00m, amount);
        Assert.Equal(1, await topology.QueryScalarAsync<long>($"SELECT count(*) FROM payments WHERE order_id = {orderId}"));
    }

    [Fact]
    public async Task A_failing_gateway_opens_the_circuit_so_it_is_not_hammered_and_the_payments_go_through_once_it_recovers()
    {
        await SetModeAsync("payments", "fail");
        var before = await RequestsAsync("payments");
        using var owner = await ApiSession.RegisterAsync(topology);
        var orders = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            orders.Add(await ConfirmedCardOrderAsync(owner));
        }

        // Six first attempts of three calls each would reach the gateway 18 times; the breakers (one per worker
        // replica, open after 3 failures in a row) stop the retries.
        await topology.ReadLogsUntilAsync("worker", line => line.Contains("BrokenCircuitException", StringComparison.Ordinal));
        var failingCalls = await RequestsAsync("payments") - before;
        await SetModeAsync("payments", "ok");

        foreach (var orderId in orders)
        {
            Assert.Equal("captured", (await WaitForPaymentAsync(orderId, TimeSpan.FromSeconds(60))).Status);
        }

        Assert.InRange(failingCalls, 1, 12);
    }

    [Fact]
    public async Task A_delivery_orders_moves_are_put_to_the_marketplace()
    {
        await SetModeAsync("marketplace", "ok");
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(30m);
        var order = (await owner.PostAsync("/api/v1/orders", new
        {
            type = "delivery",
            customer_id = menu.CustomerId,
            delivery_address_id = await owner.CreateAddressAsync(menu.CustomerId),
            items = new[] { new { product_id = menu.Products[0], quantity = 1 } },
        })).AssertStatus(HttpStatusCode.Created);
        (await owner.PatchAsync($"/api/v1/orders/{order.Id}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);

        await topology.ReadLogsUntilAsync("worker", line => line.Contains($"Order {order.Id} synced to the marketplace as confirmed (mk_{order.Id})", StringComparison.Ordinal));
    }

    private static async Task<long> ConfirmedCardOrderAsync(ApiSession owner)
    {
        var menu = await owner.CreateMenuAsync(25.50m);
        var order = (await owner.PostAsync("/api/v1/orders", new
        {
            type = "takeaway",
            customer_id = menu.CustomerId,
            payment_method = "credit_card",
            items = new[] { new { product_id = menu.Products[0], quantity = 2 } },
        })).AssertStatus(HttpStatusCode.Created);
        (await owner.PatchAsync($"/api/v1/orders/{order.Id}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        return order.Id;
    }

    private async Task SetModeAsync(string provider, string mode)
    {
        using var sandbox = topology.CreateHttpClient("sandbox");
        (await sandbox.PutAsJsonAsync($"/control/{provider}", new { mode }, Cancellation)).EnsureSuccessStatusCode();
    }

    private async Task<long> RequestsAsync(string provider)
    {
        using var sandbox = topology.CreateHttpClient("sandbox");
        return JsonNode.Parse(await sandbox.GetStringAsync($"/control/{provider}", Cancellation))!["requests"]!.GetValue<long>();
    }

    private async Task<(string Status, string Reference, decimal Amount)> WaitForPaymentAsync(long orderId, TimeSpan? patience = null)
    {
        await using var connection = await topology.OpenDatabaseAsync();
        return await Eventually.ReturnsAsync(
            async () =>
            {
                await using var select = new NpgsqlCommand($"SELECT status, gateway_reference, amount FROM payments WHERE order_id = {orderId}", connection);
                await using var reader = await select.ExecuteReaderAsync(Cancellation);
                return await reader.ReadAsync(Cancellation) ? (reader.GetString(0), reader.GetString(1), reader.GetDecimal(2)) : default;
            },
            payment => payment.Item1 is not null, $"order {orderId} paid", patience);
    }
}
