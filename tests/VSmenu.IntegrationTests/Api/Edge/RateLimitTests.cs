using System.Globalization;
using System.Net;
using System.Net.Http.Json;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>The spec's limits, counted in Redis: one count per user (or address) whichever api replica answers.</summary>
public sealed class RateLimitTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_user_gets_100_requests_a_minute_counted_across_both_api_replicas()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var otherOwner = await ApiSession.RegisterAsync(topology);
        var replicas = await topology.CreateReplicaClientsAsync("api");
        Assert.Equal(2, replicas.Count);

        var remaining = new List<int>();
        for (var request = 0; request < 100; request++)
        {
            using var response = await ApiSession.SendWithTokenAsync(replicas[request % 2], HttpMethod.Get, "/api/v1/auth/me", owner.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("100", Header(response, "X-RateLimit-Limit"));
            remaining.Add(int.Parse(Header(response, "X-RateLimit-Remaining"), CultureInfo.InvariantCulture));
        }

        using var refusedHere = await ApiSession.SendWithTokenAsync(replicas[0], HttpMethod.Get, "/api/v1/auth/me", owner.Token);
        using var refusedThere = await ApiSession.SendWithTokenAsync(replicas[1], HttpMethod.Get, "/api/v1/auth/me", owner.Token);
        using var otherUser = await ApiSession.SendWithTokenAsync(replicas[0], HttpMethod.Get, "/api/v1/auth/me", otherOwner.Token);

        Assert.Equal(Enumerable.Range(0, 100).Reverse(), remaining);
        foreach (var refused in new[] { refusedHere, refusedThere })
        {
            await AssertTooManyRequestsAsync(refused, limit: 100);
        }

        Assert.Equal(HttpStatusCode.OK, otherUser.StatusCode);
    }

    [Fact]
    public async Task Without_a_token_an_address_gets_20_requests_a_minute()
    {
        var address = ApiSession.UniqueClientAddress();
        using var device = ApiSession.CreateDeviceClient(topology, address);
        using var otherDevice = ApiSession.CreateDeviceClient(topology);

        for (var request = 0; request < 20; request++)
        {
            using var response = await device.GetAsync("/api/v1/auth/me", Cancellation);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("20", Header(response, "X-RateLimit-Limit"));
            Assert.Equal((19 - request).ToString(CultureInfo.InvariantCulture), Header(response, "X-RateLimit-Remaining"));
        }

        using var refused = await device.GetAsync("/api/v1/auth/me", Cancellation);
        using var other = await otherDevice.GetAsync("/api/v1/auth/me", Cancellation);

        await AssertTooManyRequestsAsync(refused, limit: 20);
        Assert.Equal(HttpStatusCode.Unauthorized, other.StatusCode);
    }

    [Fact]
    public async Task A_user_creates_at_most_10_orders_a_minute_and_may_still_read()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(12.00m);

        for (var order = 0; order < 10; order++)
        {
            var created = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
            // The tighter of the two limits is the one the client sees.
            Assert.Equal("10", Header(created.Raw, "X-RateLimit-Limit"));
            Assert.Equal((9 - order).ToString(CultureInfo.InvariantCulture), Header(created.Raw, "X-RateLimit-Remaining"));
        }

        var refused = await owner.CreateTakeawayOrderAsync(menu, (0, 1));
        var list = (await owner.GetAsync("/api/v1/orders?per_page=100")).AssertStatus(HttpStatusCode.OK);

        await AssertTooManyRequestsAsync(refused.Raw, limit: 10);
        Assert.Equal(10, list.Items.Count());
        Assert.Equal("100", Header(list.Raw, "X-RateLimit-Limit"));
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_address_and_email()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var attacker = ApiSession.CreateDeviceClient(topology);

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email = owner.Email, password = $"guess {attempt}" }, Cancellation);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        }

        using var blocked = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email = owner.Email.ToUpperInvariant(), password = ApiSession.Password }, Cancellation);
        using var otherAccount = await attacker.PostAsJsonAsync("/api/v1/auth/login", new { email = ApiSession.UniqueEmail(), password = "guess" }, Cancellation);
        using var ownersTablet = ApiSession.CreateDeviceClient(topology);
        using var ownerElsewhere = await ownersTablet.PostAsJsonAsync("/api/v1/auth/login", new { email = owner.Email, password = ApiSession.Password }, Cancellation);

        await AssertTooManyRequestsAsync(blocked, limit: 5);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherAccount.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ownerElsewhere.StatusCode);
    }

    [Fact]
    public async Task Health_probes_are_not_counted()
    {
        using var http = ApiSession.CreateDeviceClient(topology);

        using var health = await http.GetAsync("/health", Cancellation);

        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.False(health.Headers.Contains("X-RateLimit-Limit"));
    }

    internal static async Task AssertTooManyRequestsAsync(HttpResponseMessage response, int limit)
    {
        var body = await ApiResponse.ReadAsync(response);
        body.AssertStatus(HttpStatusCode.TooManyRequests);
        Assert.Equal(limit.ToString(CultureInfo.InvariantCulture), Header(response, "X-RateLimit-Limit"));
        Assert.Equal("0", Header(response, "X-RateLimit-Remaining"));
        var retryAfter = int.Parse(Header(response, "Retry-After"), CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        var reset = DateTimeOffset.FromUnixTimeSeconds(long.Parse(Header(response, "X-RateLimit-Reset"), CultureInfo.InvariantCulture));
        Assert.InRange(reset, DateTimeOffset.UtcNow.AddSeconds(-2), DateTimeOffset.UtcNow.AddSeconds(61));
        Assert.StartsWith("Muitas requisições. Tente novamente em", body.Message, StringComparison.Ordinal);
    }

    internal static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : throw new Xunit.Sdk.XunitException($"No {name} header on {(int)response.StatusCode}.");
}
