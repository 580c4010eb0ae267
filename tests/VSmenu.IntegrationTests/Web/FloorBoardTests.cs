using System.Net;

namespace VSmenu.IntegrationTests.Web;

/// <summary>The floor board in a real Chromium: tables follow their dine-in orders live.</summary>
public sealed class FloorBoardTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_table_turns_occupied_when_a_dine_in_order_opens_and_free_when_it_completes()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser, role: "waiter", route: "#/floor");
        var (owner, menu, floor) = (scene.Owner, scene.Menu, scene.Page);
        var table = await owner.CreateTableAsync(number: 7);
        // A new table reaches a board on its next load (no event announces tables being added).
        await floor.Page.ReloadAsync();
        await floor.WaitUntilLiveAsync();
        await floor.WaitForSelectorAsync(Table(table, "available"));

        var order = (await owner.PostAsync("/api/v1/orders", new
        {
            type = "dine_in",
            table_id = table,
            items = new[] { new { product_id = menu.Products[0], quantity = 2 } },
        })).AssertStatus(HttpStatusCode.Created).Id;
        await floor.WaitForSelectorAsync(Table(table, "occupied"));
        foreach (var status in new[] { "confirmed", "preparing", "ready" })
        {
            (await owner.PatchAsync($"/api/v1/orders/{order}", new { status })).AssertStatus(HttpStatusCode.OK);
        }

        await floor.WaitForSelectorAsync($".ready-orders li[data-order-id=\"{order}\"]");
        var violations = await floor.AccessibilityViolationsAsync();
        await floor.ScreenshotAsync("floor-board");
        foreach (var status in new[] { "served", "completed" })
        {
            (await owner.PatchAsync($"/api/v1/orders/{order}", new { status })).AssertStatus(HttpStatusCode.OK);
        }

        await floor.WaitForSelectorAsync(Table(table, "available"));
        Assert.Equal("available", (await owner.GetAsync($"/api/v1/tables/{table}")).Data["status"]!.GetValue<string>());
        Assert.False(await floor.HasAsync($".ready-orders li[data-order-id=\"{order}\"]"), "a served order is still listed as ready");
        Assert.Empty(violations);
    }

    private static string Table(long id, string status) => $".table[data-table-id=\"{id}\"][data-status=\"{status}\"]";
}
