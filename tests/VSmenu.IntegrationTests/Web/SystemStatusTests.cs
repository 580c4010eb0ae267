using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using VSmenu.IntegrationTests.Api;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests.Web;

/// <summary>The platform's banner on the public <c>system</c> channel: the operator's maintenance notice, and a dependency down.</summary>
public sealed class SystemStatusTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    internal const string Banner = "#system-status";

    [Fact]
    public async Task The_operator_s_maintenance_notice_shows_on_the_kitchen_display_and_the_floor_board_and_goes_when_cleared()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var floor = await scene.OpenAnotherDeviceAsync(topology, browser.Browser, route: "#/floor");
        using var platform = await OperatorAsync(topology);
        var notice = $"Atualização às 23h {Guid.NewGuid():N}";

        using (var set = await platform.PutAsJsonAsync("/api/v1/system/maintenance", new { message = notice, until = DateTimeOffset.UtcNow.AddHours(1) }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        await scene.Page.WaitForTextAsync(Banner, notice);
        await floor.WaitForTextAsync(Banner, notice);
        Assert.Equal("maintenance", (await scene.Owner.GetAsync("/api/v1/system/status")).AssertStatus(HttpStatusCode.OK).Data["state"]!.GetValue<string>());

        using (var cleared = await platform.DeleteAsync("/api/v1/system/maintenance", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        }

        await scene.Page.WaitForSelectorAsync($"{Banner}[hidden]");
        await floor.WaitForSelectorAsync($"{Banner}[hidden]");
    }

    [Fact]
    public async Task Only_the_platform_operator_sets_a_notice_and_a_bad_one_is_refused_with_its_field()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        (await owner.PutAsync("/api/v1/system/maintenance", new { message = "Fechado" })).AssertStatus(HttpStatusCode.Forbidden);
        using var anonymous = ApiSession.CreateDeviceClient(topology);
        using (var refused = await anonymous.PutAsJsonAsync("/api/v1/system/maintenance", new { message = "Fechado" }, TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        }

        using var platform = await OperatorAsync(topology);
        using var invalid = await platform.PutAsJsonAsync("/api/v1/system/maintenance", new { message = new string('x', 281), until = "2020-01-01T00:00:00Z" }, TestContext.Current.CancellationToken);
        var errors = (await ApiResponse.ReadAsync(invalid)).AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(errors.Errors("message"));
        Assert.NotEmpty(errors.Errors("until"));
        Assert.NotEqual("maintenance", (await owner.GetAsync("/api/v1/system/status")).AssertStatus(HttpStatusCode.OK).Data["state"]!.GetValue<string>());
    }

    internal static async Task<HttpClient> OperatorAsync(TopologyFixture topology)
    {
        var client = ApiSession.CreateDeviceClient(topology);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await topology.ParameterValueAsync("platform-operator-key"));
        return client;
    }
}

/// <summary>Freezes the shared PostgreSQL, so it runs with the other outage tests, alone.</summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class DependencyBannerTests(TopologyFixture topology, BrowserFixture browser) : IClassFixture<BrowserFixture>
{
    [Fact]
    public async Task A_frozen_database_shows_on_the_banner_through_the_system_channel_and_clears_after_the_thaw()
    {
        using var scene = await StaffScene.OpenAsync(topology, browser.Browser);
        var connectionString = await topology.App.GetConnectionStringAsync("vsmenudb", TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException("No vsmenudb connection string.");
        // The page also polls the status every 15 s: what went through the system channel is recorded apart.
        await scene.Page.Page.EvaluateExpressionAsync(
            "window.announced = []; Pusher.instances.at(-1).bind_global((event, data) => event === 'system.status' && window.announced.push(data.status.state))");
        await using (await Freezer.FreezePostgresAsync(connectionString, TestContext.Current.CancellationToken))
        {
            await scene.Page.WaitForSelectorAsync($"{SystemStatusTests.Banner}[data-state=degraded]");
            await scene.Page.WaitForTextAsync(SystemStatusTests.Banner, "banco de dados");
        }

        await scene.Page.WaitForSelectorAsync($"{SystemStatusTests.Banner}[hidden]");
        // The banner goes when one replica reports the database back; the next test in this collection needs them all.
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker");
        var announced = await scene.Page.Page.EvaluateExpressionAsync<string[]>("window.announced");
        Assert.Contains("degraded", announced);
        Assert.Equal("ok", announced[^1]);
    }
}
