using System.Net;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Web;

/// <summary>
/// The pages' calls to the api retry as the spec's axios-retry setup does (network errors, 429 after its Retry-After,
/// 5xx; three times), and a write only with its Idempotency-Key: the network between Chromium and the api fails on cue.
/// </summary>
public sealed class ApiRetryTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_bump_refused_429_then_dropped_then_carried_out_with_its_answer_lost_is_retried_with_one_key_and_moves_the_ticket_once()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var (owner, menu, kitchen) = (scene.Owner, scene.Menu, scene.Page);
        var order = await KitchenDisplayTests.ConfirmedOrderAsync(owner, menu);
        await kitchen.WaitForTicketAsync(order, "confirmed");
        var network = await FlakyNetwork.InterceptAsync(
            kitchen.Page,
            HttpMethod.Patch,
            $"/api/v1/orders/{order}",
            FlakyNetwork.Answer(HttpStatusCode.TooManyRequests, retryAfter: "2"),
            FlakyNetwork.Dropped(),
            FlakyNetwork.AnswerLost());

        await kitchen.ClickAsync($"{StaffPage.Ticket(order)} button.bump");
        // The ticket moves as soon as the carried-out attempt is broadcast; the page's last retry comes after that.
        var attempts = await Eventually.ReturnsAsync(() => Task.FromResult(network.Attempts), made => made.Count >= 4, "retried three times");
        await kitchen.SettleAsync();
        await kitchen.WaitForTicketAsync(order, "preparing");

        Assert.Empty(network.Failures);
        Assert.Equal(4, network.Attempts.Count);
        Assert.Single(attempts.Select(attempt => attempt.IdempotencyKey).Distinct());
        Assert.False(string.IsNullOrEmpty(attempts[0].IdempotencyKey), "the bump carried no Idempotency-Key");
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromSeconds(2), $"the retry after a 429 came {(attempts[1].At - attempts[0].At).TotalMilliseconds:0} ms later, before its Retry-After of 2 s");
        Assert.Equal("preparing", (await owner.GetAsync($"/api/v1/orders/{order}")).Data["status"]!.GetValue<string>());
        Assert.Equal("", await kitchen.TextAsync(".notice"));
    }

    [Fact]
    public async Task A_sign_in_answered_503_is_not_retried_because_a_write_without_an_idempotency_key_could_double()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var cook = await owner.AddStaffAsync("kitchen");
        var page = await StaffPage.OpenSignInAsync(browser.Browser, topology);
        var network = await FlakyNetwork.InterceptAsync(page.Page, HttpMethod.Post, "/api/v1/auth/login", FlakyNetwork.Answer(HttpStatusCode.ServiceUnavailable));

        await page.SubmitSignInAsync(cook.Email);
        await page.WaitForTextAsync(".form-error", "Não foi possível entrar agora");
        await page.SettleAsync();

        Assert.Single(network.Attempts);
        Assert.False(await page.HasAsync("#sign-out"), "the page signed in through a retry");
    }
}
