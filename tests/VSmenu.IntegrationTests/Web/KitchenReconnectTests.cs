using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Web;

/// <summary>Stops every realtime replica, so it runs with the other outage tests, alone.</summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class KitchenReconnectTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task Orders_created_while_the_hub_is_down_appear_once_it_is_back_without_a_reload()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        var replicas = await topology.ReplicasAsync("realtime");

        foreach (var replica in replicas)
        {
            await topology.StopResourceAsync(replica.ResourceId);
        }

        long first, second;
        try
        {
            await kitchen.WaitForSelectorAsync("#connection:not([data-state=live])");
            first = await KitchenDisplayTests.ConfirmedOrderAsync(owner, menu);
            second = await KitchenDisplayTests.ConfirmedOrderAsync(owner, menu);
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await topology.StartResourceAsync(replica.ResourceId);
            }
        }

        // pusher-js backs off while the hub is away: its next attempt can be some seconds after the hub is back.
        await kitchen.WaitForTicketAsync(first, "confirmed", TimeSpan.FromMinutes(1));
        await kitchen.WaitForTicketAsync(second, "confirmed", TimeSpan.FromMinutes(1));

        Assert.Equal(2, await kitchen.Page.EvaluateExpressionAsync<int>("document.querySelectorAll('.ticket').length"));
        await topology.WaitUntilEveryReplicaIsReadyAsync("realtime");
    }
}
