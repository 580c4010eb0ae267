using VSmenu.Testing;

namespace VSmenu.IntegrationTests;

/// <summary>A minute of <see cref="ChaosRun"/> on the shared topology: it kills replicas and freezes stores, so it runs alone.</summary>
[Collection(nameof(Api.InfrastructureOutage))]
public sealed class ChaosTests(TopologyFixture topology)
{
    [Fact]
    public async Task A_minute_of_orders_while_replicas_are_killed_and_stores_frozen_loses_and_doubles_nothing()
    {
        var report = await new ChaosRun(topology.App, TimeSpan.FromMinutes(1), tablets: 6, line => TestContext.Current.TestOutputHelper?.WriteLine(line))
            .RunAsync(TestContext.Current.CancellationToken);

        TestContext.Current.TestOutputHelper?.WriteLine(report.ToString());
        Assert.True(report.Faults.Count >= 4, $"Only {report.Faults.Count} faults were injected.");
        Assert.True(report.OrdersAccepted > 0, "No order was accepted.");
        Assert.True(report.Holds, report.ToString());
    }
}
