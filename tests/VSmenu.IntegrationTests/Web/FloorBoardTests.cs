using System.Net;

namespace VSmenu.IntegrationTests.Web;

/// <summary>The floor board in a real Chromium: tables follow their dine-in orders live, and the floor plan its changes.</summary>
public sealed class FloorBoardTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_table_turns_occupied_when_a_dine_in_order_opens_and_free_when_it_completes()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser, role: "waiter", route: "#/floor");
        var (owner, menu, floor) = (scene.Owner, scene.Menu, scene.Page);
        var table = await owner.CreateTableAsync(number: 7);
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

    [Fact]
    public async Task A_table_added_renumbered_or_removed_shows_on_an_open_board_without_a_reload()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser, role: "waiter", route: "#/floor");
        var (owner, floor) = (scene.Owner, scene.Page);

        var table = await owner.CreateTableAsync(number: 12, seats: 2);
        await floor.WaitForSelectorAsync(Table(table, "available"));
        (await owner.PatchAsync($"/api/v1/tables/{table}", new { number = 21, seats = 6 })).AssertStatus(HttpStatusCode.OK);
        await floor.WaitForTextAsync($".table[data-table-id=\"{table}\"] strong", "21");
        Assert.Contains("6", await floor.Page.EvaluateFunctionAsync<string>("id => document.querySelector(`.table[data-table-id=\"${id}\"] .seats`).textContent", table));

        (await owner.DeleteAsync($"/api/v1/tables/{table}")).AssertStatus(HttpStatusCode.NoContent);
        await floor.WaitUntilGoneAsync($".table[data-table-id=\"{table}\"]");
    }

    private static string Table(long id, string status) => $".table[data-table-id=\"{id}\"][data-status=\"{status}\"]";
}
