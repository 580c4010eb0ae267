using System.Net;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Web;

/// <summary>What every page of the web app shares, in a real Chromium: the language and the sign-out.</summary>
public sealed class StaffShellTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    private const string ConfirmedHeading = "#column-confirmed";

    [Fact]
    public async Task The_pages_are_in_Portuguese_and_the_English_switch_relabels_them_and_stays_on_the_device()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var kitchen = scene.Page;
        await kitchen.WaitForTextAsync(ConfirmedHeading, "Confirmados");

        await kitchen.Page.SelectAsync("#language", "en");
        await kitchen.WaitForTextAsync(ConfirmedHeading, "Confirmed");
        await kitchen.Page.ReloadAsync();
        await kitchen.WaitUntilLiveAsync();

        Assert.StartsWith("Confirmed", await kitchen.TextAsync(ConfirmedHeading));
        Assert.Equal("Sign out", await kitchen.TextAsync("#sign-out"));
    }

    [Fact]
    public async Task Signing_out_revokes_the_token_and_returns_to_the_sign_in_form()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var kitchen = scene.Page;
        var token = Assert.IsType<string>(await kitchen.TokenAsync());
        (await ApiSession.MeAsync(topology, token)).AssertStatus(HttpStatusCode.OK);

        await kitchen.ClickAsync("#sign-out");
        await kitchen.WaitForSelectorAsync("form.signin #email");

        Assert.Null(await kitchen.Page.EvaluateExpressionAsync<string?>("sessionStorage.getItem('vsmenu.session')"));
        await WaitUntilRefusedAsync(token);
    }

    [Fact]
    public async Task A_sign_out_whose_request_is_dropped_is_retried_and_still_revokes_the_token()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var kitchen = scene.Page;
        var token = Assert.IsType<string>(await kitchen.TokenAsync());
        var network = await FlakyNetwork.InterceptAsync(kitchen.Page, HttpMethod.Post, "/api/v1/auth/logout", FlakyNetwork.Dropped());

        await kitchen.ClickAsync("#sign-out");

        await WaitUntilRefusedAsync(token);
        Assert.Equal(2, network.Attempts.Count);
    }

    private Task WaitUntilRefusedAsync(string token) =>
        Eventually.ReturnsAsync(() => ApiSession.MeAsync(topology, token), me => me.Status == HttpStatusCode.Unauthorized, "refused after the sign-out", TimeSpan.FromSeconds(10));
}
