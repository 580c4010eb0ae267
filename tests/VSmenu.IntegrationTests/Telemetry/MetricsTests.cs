using System.Net;
using VSmenu.IntegrationTests.Api;
using VSmenu.IntegrationTests.Realtime;

namespace VSmenu.IntegrationTests.Telemetry;

/// <summary>The dashboard's Metrics page answers a kitchen manager's questions, each figure with its unit and description.</summary>
public sealed class MetricsTests(TopologyFixture topology)
{
    [Fact]
    public async Task Orders_ticket_ages_job_waits_and_runtimes_deliveries_and_sync_are_exported_with_units_and_descriptions()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (dish, customer) = await owner.CreateStockedDishAsync("Moqueca", 42.00m, stock: 10);
        var kitchen = $"private-kitchen.{owner.TenantId}";
        await using var cook = await RealtimeTests.SubscribePrivateAsync(topology, owner, kitchen);
        var orderId = (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customer, dish))).AssertStatus(HttpStatusCode.Created).Id;
        (await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        await cook.NextAsync("order.status.changed", kitchen);
        (await owner.PostAsync("/api/v1/sync/push", new
        {
            client_id = Guid.NewGuid(),
            mutations = new[] { new { id = 1, name = "orders.update", args = new { id = orderId, notes = "Sem coentro" } } },
        })).AssertStatus(HttpStatusCode.OK);
        (await owner.GetAsync("/api/v1/sync/pull")).AssertStatus(HttpStatusCode.OK);

        (string Service, string Name, string Unit)[] expected =
        [
            ("api", "vsmenu.orders.created", "{order}"),
            ("api", "vsmenu.orders.age_at_status", "s"),
            ("api", "vsmenu.sync.mutations", "{mutation}"),
            ("api", "vsmenu.sync.pull.lag", "s"),
            ("worker", "vsmenu.outbox.lag", "ms"),
            ("worker", "vsmenu.queue.job.wait", "ms"),
            ("worker", "vsmenu.queue.job.runtime", "ms"),
            ("worker", "vsmenu.queue.jobs.processed", "{job}"),
            ("worker", "vsmenu.queue.depth", "{job}"),
            ("realtime", "vsmenu.realtime.connections", "{connection}"),
            ("realtime", "vsmenu.realtime.delivery.latency", "ms"),
        ];
        var metrics = await topology.Telemetry.WaitForAsync(
            telemetry => expected.All(metric => telemetry.Metrics.Any(m => (m.Service, m.Name) == (metric.Service, metric.Name))) ? telemetry.Metrics : null,
            TimeSpan.FromSeconds(30),
            TestContext.Current.CancellationToken,
            telemetry => $"Missing: {string.Join(", ", expected.Where(metric => !telemetry.Metrics.Any(m => (m.Service, m.Name) == (metric.Service, metric.Name))))}");

        foreach (var (service, name, unit) in expected)
        {
            var metric = metrics.First(m => (m.Service, m.Name) == (service, name));
            Assert.Equal(unit, metric.Unit);
            Assert.False(string.IsNullOrWhiteSpace(metric.Description), $"{name} has no description.");
        }
    }
}
