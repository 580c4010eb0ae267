using System.Globalization;
using System.Net;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Web;

/// <summary>The kitchen display in a real Chromium, against the whole topology: live tickets, bumps, recalls, who may see what.</summary>
public sealed class KitchenDisplayTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_confirmed_order_appears_as_a_ticket_and_a_bump_moves_it_for_every_cook_and_in_the_api()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, first) = (scene.Owner, scene.Menu, scene.Page);
        var second = await scene.OpenAnotherDeviceAsync(topology, browser.Browser);

        var order = await ConfirmedOrderAsync(owner, menu, quantity: 3);
        await first.WaitForTicketAsync(order, "confirmed");
        await second.WaitForTicketAsync(order, "confirmed");
        await first.ClickAsync($"{StaffPage.Ticket(order)} button.bump");
        await second.WaitForTicketAsync(order, "preparing");

        Assert.Equal("preparing", (await owner.GetAsync($"/api/v1/orders/{order}")).Data["status"]!.GetValue<string>());
        Assert.True(await second.HasAsync($".all-day li[data-item=\"Produto 0\"]"), "the all-day counts list the dish being cooked");
    }

    [Fact]
    public async Task A_double_tap_on_bump_moves_the_ticket_once_and_recall_takes_it_back()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        var order = await ConfirmedOrderAsync(owner, menu);
        await kitchen.WaitForTicketAsync(order, "confirmed");

        await kitchen.ClickAsync($"{StaffPage.Ticket(order)} button.bump", clickCount: 2);
        await kitchen.WaitForTicketAsync(order, "preparing");
        await kitchen.SettleAsync();
        var afterDoubleTap = (await owner.GetAsync($"/api/v1/orders/{order}")).Data["status"]!.GetValue<string>();
        await kitchen.ClickAsync($"{StaffPage.Ticket(order)} button.recall");
        await kitchen.WaitForTicketAsync(order, "confirmed");

        Assert.Equal("preparing", afterDoubleTap);
        Assert.Equal("confirmed", (await owner.GetAsync($"/api/v1/orders/{order}")).Data["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_bump_bar_s_digits_and_arrows_select_Enter_bumps_and_Backspace_recalls()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        var first = await ConfirmedOrderAsync(owner, menu);
        var second = await ConfirmedOrderAsync(owner, menu);
        await kitchen.WaitForTicketAsync(first, "confirmed");
        await kitchen.WaitForTicketAsync(second, "confirmed");

        await kitchen.Page.Keyboard.PressAsync("1");
        await kitchen.WaitForSelectorAsync(".ticket.selected");
        var one = long.Parse(await kitchen.Page.EvaluateExpressionAsync<string>("document.querySelector('.ticket.selected').dataset.orderId"), CultureInfo.InvariantCulture);
        var other = one == first ? second : first;
        foreach (var (key, lands) in new[] { ("ArrowRight", other), ("ArrowLeft", one), ("ArrowDown", other), ("ArrowUp", one), ("ArrowDown", other) })
        {
            await kitchen.Page.Keyboard.PressAsync(key);
            await kitchen.WaitForSelectorAsync($"{StaffPage.Ticket(lands)}.selected");
        }

        await kitchen.Page.Keyboard.PressAsync("Enter");
        await kitchen.WaitForSelectorAsync($"{StaffPage.Ticket(other, "preparing")} button.recall");
        var afterEnter = (await owner.GetAsync($"/api/v1/orders/{other}")).Data["status"]!.GetValue<string>();
        await kitchen.Page.Keyboard.PressAsync("Backspace");
        await kitchen.WaitForTicketAsync(other, "confirmed");

        Assert.Equal("preparing", afterEnter);
        Assert.Equal("confirmed", (await owner.GetAsync($"/api/v1/orders/{other}")).Data["status"]!.GetValue<string>());
        Assert.Equal("confirmed", (await owner.GetAsync($"/api/v1/orders/{one}")).Data["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_waiter_is_refused_the_kitchen_display_and_another_restaurant_s_orders_never_appear()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var cook = await owner.AddStaffAsync("kitchen");
        using var waiter = await owner.AddStaffAsync("waiter");
        using var otherOwner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(12m);
        var otherMenu = await otherOwner.CreateMenuAsync(12m);
        var kitchen = await StaffPage.SignInAsync(browser.Browser, topology, cook.Email);
        var waiterPage = await StaffPage.SignInAsync(browser.Browser, topology, waiter.Email);
        await kitchen.WaitUntilLiveAsync();

        var elsewhere = await ConfirmedOrderAsync(otherOwner, otherMenu);
        var ours = await ConfirmedOrderAsync(owner, menu);
        await kitchen.WaitForTicketAsync(ours, "confirmed");
        await waiterPage.WaitForSelectorAsync(".refused");

        Assert.False(await kitchen.HasAsync(StaffPage.Ticket(elsewhere)), "another restaurant's order is on the display");
        Assert.False(await waiterPage.HasAsync(".ticket"), "a waiter sees tickets");
    }

    [Fact]
    public async Task The_kitchen_display_has_no_serious_accessibility_violation()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        var preparing = await ConfirmedOrderAsync(owner, menu, quantity: 2);
        (await owner.PatchAsync($"/api/v1/orders/{preparing}", new { status = "preparing" })).AssertStatus(HttpStatusCode.OK);
        var confirmed = await ConfirmedOrderAsync(owner, menu);
        await kitchen.WaitForTicketAsync(preparing, "preparing");
        await kitchen.WaitForTicketAsync(confirmed, "confirmed");

        var violations = await kitchen.AccessibilityViolationsAsync();
        await kitchen.ScreenshotAsync("kitchen-display");

        Assert.Empty(violations);
    }

    [Fact]
    public async Task A_new_ticket_flashes_with_a_tone_and_a_cancelled_one_is_struck_through_then_removed()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        await kitchen.Page.EvaluateExpressionAsync(
            "window.tones = 0; const start = OscillatorNode.prototype.start; OscillatorNode.prototype.start = function (...at) { window.tones++; return start.apply(this, at); }");

        var order = await ConfirmedOrderAsync(owner, menu);
        await kitchen.WaitForSelectorAsync($"{StaffPage.Ticket(order, "confirmed")}.flash");
        Assert.Equal(1, await kitchen.Page.EvaluateExpressionAsync<int>("window.tones"));

        (await owner.PatchAsync($"/api/v1/orders/{order}", new { status = "cancelled", cancellation_reason = "Cliente desistiu" })).AssertStatus(HttpStatusCode.OK);
        await kitchen.WaitForSelectorAsync($"{StaffPage.Ticket(order)}.struck");
        Assert.False(await kitchen.HasAsync($"{StaffPage.Ticket(order)}.struck button.bump"), "a cancelled ticket can still be bumped");
        await kitchen.WaitUntilGoneAsync(StaffPage.Ticket(order));
    }

    [Theory]
    [InlineData(1280, 800)]
    [InlineData(1920, 1080)]
    public async Task The_columns_and_the_all_day_counts_sit_side_by_side_within_the_screen(int width, int height)
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        await kitchen.Page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = width, Height = height });
        var order = await ConfirmedOrderAsync(owner, menu);
        await kitchen.WaitForTicketAsync(order, "confirmed");

        var layout = await kitchen.Page.EvaluateExpressionAsync<System.Text.Json.JsonElement>("""
            ({
              overflow: document.documentElement.scrollWidth - innerWidth,
              boxes: [...document.querySelectorAll('.column'), document.querySelector('.all-day')].map((box) => box.getBoundingClientRect().toJSON()),
            })
            """);
        var boxes = layout.GetProperty("boxes").EnumerateArray().Select(box => (Left: box.GetProperty("left").GetDouble(), Top: box.GetProperty("top").GetDouble(), Right: box.GetProperty("right").GetDouble())).ToList();
        Assert.True(layout.GetProperty("overflow").GetDouble() <= 0, $"the page scrolls sideways at {width}x{height}");
        Assert.Equal(4, boxes.Count);
        Assert.All(boxes, box => Assert.Equal(boxes[0].Top, box.Top));
        Assert.All(boxes.Zip(boxes.Skip(1)), pair => Assert.True(pair.First.Right <= pair.Second.Left, $"boxes overlap at {width}x{height}"));
        Assert.True(boxes[^1].Right <= width, $"the all-day counts run off the screen at {width}x{height}");
    }

    [Fact]
    public async Task A_ticket_s_timer_counts_in_view_and_a_ticket_scrolled_back_into_view_shows_its_age_of_now_due_then_late()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        await kitchen.Page.SetViewportAsync(new PuppeteerSharp.ViewPortOptions { Width = 1280, Height = 480 });
        // Two orders a little short of the alerts (5 and 8 minutes), at the top of the column as the oldest, and enough
        // newer ones under them to scroll them out of view.
        var (nearlyDue, dueAt) = await ConfirmedOrderShortOfAnAlertAsync(owner, menu, TimeSpan.FromMinutes(5));
        var (nearlyLate, lateAt) = await ConfirmedOrderShortOfAnAlertAsync(owner, menu, TimeSpan.FromMinutes(8));
        var newest = 0L;
        for (var i = 0; i < 4; i++)
        {
            newest = await ConfirmedOrderAsync(owner, menu);
        }

        await kitchen.WaitForTicketAsync(newest, "confirmed");
        Assert.False(await kitchen.HasAsync($"{StaffPage.Ticket(nearlyDue)}.due"), "a ticket short of the first alert shows as due");
        Assert.True(await kitchen.HasAsync($"{StaffPage.Ticket(nearlyLate)}.due:not(.late)"), "a ticket past the first alert does not show as due");
        var firstShown = await kitchen.TextAsync($"{StaffPage.Ticket(nearlyDue)} time.age");
        Assert.StartsWith("4:", firstShown);
        await kitchen.Page.WaitForFunctionAsync(
            "(selector, shown) => document.querySelector(selector).textContent !== shown", new PuppeteerSharp.WaitForFunctionOptions { Timeout = 5_000 }, $"{StaffPage.Ticket(nearlyDue)} time.age", firstShown);

        const string confirmedList = ".column[aria-labelledby=column-confirmed] .tickets";
        await kitchen.Page.EvaluateFunctionAsync("selector => { const list = document.querySelector(selector); list.scrollTop = list.scrollHeight; }", confirmedList);
        Assert.False(await kitchen.InViewAsync(confirmedList, StaffPage.Ticket(nearlyDue)), "the oldest ticket did not scroll out of view");
        Assert.False(await kitchen.InViewAsync(confirmedList, StaffPage.Ticket(nearlyLate)), "the second oldest ticket did not scroll out of view");
        await kitchen.Page.WaitForFunctionAsync("at => Date.now() >= at", new PuppeteerSharp.WaitForFunctionOptions { Timeout = 30_000 }, Math.Max(dueAt.ToUnixTimeMilliseconds(), lateAt.ToUnixTimeMilliseconds()));
        await kitchen.Page.EvaluateFunctionAsync("selector => { document.querySelector(selector).scrollTop = 0; }", confirmedList);

        await kitchen.WaitForSelectorAsync($"{StaffPage.Ticket(nearlyDue)}.due");
        await kitchen.WaitForSelectorAsync($"{StaffPage.Ticket(nearlyLate)}.late");
        Assert.StartsWith("5:", await kitchen.TextAsync($"{StaffPage.Ticket(nearlyDue)} time.age"));
        Assert.StartsWith("8:", await kitchen.TextAsync($"{StaffPage.Ticket(nearlyLate)} time.age"));
    }

    /// <summary>A confirmed order made 12 s short of <paramref name="alert"/> ago; returns its id and when it is that old.</summary>
    private async Task<(long Order, DateTimeOffset AlertAt)> ConfirmedOrderShortOfAnAlertAsync(ApiSession owner, ApiSession.Menu menu, TimeSpan alert)
    {
        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created).Id;
        await using var database = await topology.OpenDatabaseAsync();
        await using var backdate = new Npgsql.NpgsqlCommand("UPDATE orders SET created_at = now() - $1 WHERE id = $2 RETURNING created_at", database);
        backdate.Parameters.AddWithValue(alert - TimeSpan.FromSeconds(12));
        backdate.Parameters.AddWithValue(order);
        var createdAt = (DateTime)(await backdate.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        (await owner.PatchAsync($"/api/v1/orders/{order}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        return (order, new DateTimeOffset(DateTime.SpecifyKind(createdAt, DateTimeKind.Utc)) + alert);
    }

    /// <summary>A takeaway order, confirmed by the front of house so that it reaches the kitchen; returns its id.</summary>
    internal static async Task<long> ConfirmedOrderAsync(ApiSession owner, ApiSession.Menu menu, int quantity = 1)
    {
        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, quantity))).AssertStatus(HttpStatusCode.Created).Id;
        (await owner.PatchAsync($"/api/v1/orders/{order}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        return order;
    }
}
