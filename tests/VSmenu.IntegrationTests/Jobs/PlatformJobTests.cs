using System.Net;
using System.Net.Http.Json;
using VSmenu.Data.Jobs;
using VSmenu.Data.Reports;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Jobs;

/// <summary>The daily jobs, run on demand: each restaurant's sales report, and the cleanup of expired and processed records.</summary>
public sealed class PlatformJobTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_daily_report_counts_the_days_orders_revenue_and_best_sellers_of_each_restaurant()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var menu = await owner.CreateMenuAsync(20m, 5m);
        (await owner.CreateTakeawayOrderAsync(menu, (0, 2), (1, 1))).AssertStatus(HttpStatusCode.Created);
        (await owner.CreateTakeawayOrderAsync(menu, (1, 4))).AssertStatus(HttpStatusCode.Created);
        var cancelled = (await owner.CreateTakeawayOrderAsync(menu, (0, 10))).AssertStatus(HttpStatusCode.Created);
        (await owner.PatchAsync($"/api/v1/orders/{cancelled.Id}", new { status = "cancelled", cancellation_reason = "desistiu" })).AssertStatus(HttpStatusCode.OK);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        await using (var queue = await TopologyQueue.ConnectAsync(topology))
        {
            await queue.Queue.DispatchAsync(new GenerateReports(today), cancellationToken: Cancellation);
        }

        var report = (await Eventually.ReturnsAsync(
            () => owner.GetAsync($"/api/v1/reports/daily/{today:yyyy-MM-dd}"), response => response.Status == HttpStatusCode.OK, "report generated")).Data;
        Assert.Equal((3, 1), (report["orders_count"]!.GetValue<int>(), report["cancelled_count"]!.GetValue<int>()));
        Assert.Equal("65.00", report["revenue"]!.ToJsonString());
        Assert.Equal("32.50", report["average_ticket"]!.ToJsonString());
        var best = report["top_products"]!.AsArray();
        Assert.Equal(("Produto 1", 5), (best[0]!["product_name"]!.GetValue<string>(), best[0]!["quantity"]!.GetValue<int>()));
        Assert.Equal(("Produto 0", 2), (best[1]!["product_name"]!.GetValue<string>(), best[1]!["quantity"]!.GetValue<int>()));
        (await waiter.GetAsync($"/api/v1/reports/daily/{today:yyyy-MM-dd}")).AssertStatus(HttpStatusCode.Forbidden);
        (await owner.GetAsync("/api/v1/reports/daily/yesterday")).AssertStatus(HttpStatusCode.UnprocessableEntity);
        (await owner.GetAsync($"/api/v1/reports/daily/{today.AddYears(-3):yyyy-MM-dd}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Cleanup_deletes_expired_tokens_old_published_outbox_rows_and_idempotency_keys_past_their_day_and_keeps_the_rest()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var expiring = (await owner.PostAsync("/api/v1/auth/login", new { email = owner.Email, password = ApiSession.Password })).AssertStatus(HttpStatusCode.OK)
            .Data["token"]!.GetValue<string>();
        var menu = await owner.CreateMenuAsync(5.00m);
        var keyedOrders = new List<long>();
        foreach (var key in new[] { "yesterday", "today" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
            {
                Content = JsonContent.Create(OrderBodies.Takeaway(menu.CustomerId, menu.Products[0])),
            };
            request.Headers.Add("Idempotency-Key", key);
            keyedOrders.Add((await ApiResponse.ReadAsync(await owner.Http.SendAsync(request, Cancellation))).AssertStatus(HttpStatusCode.Created).Id);
        }

        await topology.ExecuteSqlAsync($"""
            UPDATE personal_access_tokens SET expires_at = now() - interval '1 day' WHERE id = {long.Parse(expiring.Split('|')[0], System.Globalization.CultureInfo.InvariantCulture)};
            UPDATE outbox_messages SET published_at = now() - interval '8 days' WHERE tenant_id = {owner.TenantId} AND published_at IS NOT NULL;
            UPDATE idempotency_records SET created_at = now() - interval '25 hours' WHERE order_id = {keyedOrders[0]};
            """);

        await using (var queue = await TopologyQueue.ConnectAsync(topology))
        {
            await queue.Queue.DispatchAsync(new CleanupOldData(), cancellationToken: Cancellation);
        }

        await Eventually.ReturnsAsync(
            () => topology.QueryScalarAsync<long>($"""
                SELECT (SELECT count(*) FROM personal_access_tokens WHERE tenant_id = {owner.TenantId})
                     + (SELECT count(*) FROM outbox_messages WHERE tenant_id = {owner.TenantId} AND published_at < now() - interval '7 days')
                     + (SELECT count(*) FROM idempotency_records WHERE tenant_id = {owner.TenantId})
                """),
            count => count == 2, "the expired token, the old outbox rows and yesterday's key deleted, the live token and today's key kept");
        Assert.Equal(
            [keyedOrders[1]],
            await topology.QueryScalarAsync<long[]>($"SELECT array_agg(order_id) FROM idempotency_records WHERE tenant_id = {owner.TenantId}"));
        (await owner.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);
    }
}
