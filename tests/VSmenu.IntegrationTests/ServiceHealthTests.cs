using System.Net;
using System.Text.Json;

namespace VSmenu.IntegrationTests;

public sealed class ServiceHealthTests(TopologyFixture topology)
{
    [Theory]
    [InlineData("api", "Healthy")]
    [InlineData("realtime", "Healthy")]
    [InlineData("worker", "Degraded")]
    public async Task Service_reports_ready_and_alive(string service, string status)
    {
        using var http = topology.CreateHttpClient(service);

        var ready = await http.GetAsync("/health", TestContext.Current.CancellationToken);
        var alive = await http.GetAsync("/alive", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, alive.StatusCode);
        using var report = JsonDocument.Parse(await ready.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(status, report.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_worker_without_an_sms_gateway_is_ready_but_degraded_and_says_why()
    {
        using var http = topology.CreateHttpClient("worker");

        using var report = JsonDocument.Parse(await http.GetStringAsync("/health", TestContext.Current.CancellationToken));

        var checks = report.RootElement.GetProperty("checks");
        Assert.Equal("Degraded", checks.GetProperty("sms-gateway").GetString());
        Assert.All(checks.EnumerateObject().Where(check => check.Name != "sms-gateway"), check => Assert.Equal("Healthy", check.Value.GetString()));
    }

    [Theory]
    [InlineData("api", new[] { "vsmenudb-writable", "vsmenudb-schema", "redis-writable" })]
    [InlineData("worker", new[] { "vsmenudb-writable", "vsmenudb-schema", "redis-writable" })]
    [InlineData("realtime", new[] { "redis-writable" })]
    public async Task Readiness_covers_every_backing_store_the_service_uses(string service, string[] expectedChecks)
    {
        using var http = topology.CreateHttpClient(service);

        using var report = JsonDocument.Parse(await http.GetStringAsync("/health", TestContext.Current.CancellationToken));

        var checks = report.RootElement.GetProperty("checks").EnumerateObject().ToDictionary(check => check.Name, check => check.Value.GetString());
        foreach (var expected in expectedChecks)
        {
            Assert.Equal("Healthy", Assert.Contains(expected, checks));
        }
    }

    [Fact]
    public async Task Health_report_leaks_no_internals()
    {
        using var http = topology.CreateHttpClient("api");

        var body = await http.GetStringAsync("/health", TestContext.Current.CancellationToken);

        Assert.DoesNotContain("Host=", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("localhost", body, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("exception", body, StringComparison.OrdinalIgnoreCase);
    }
}
