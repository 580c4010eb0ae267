using System.Net;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>A write sent twice with one <c>Idempotency-Key</c> happens once, however the two copies arrive.</summary>
public sealed class IdempotencyTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_replay_returns_the_first_response_and_creates_nothing_more()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(19.90m);
        var key = Guid.NewGuid().ToString();
        var order = TakeawayOrder(menu);

        var first = await PostOrderAsync(owner, key, order);
        var replay = await PostOrderAsync(owner, key, order);

        first.AssertStatus(HttpStatusCode.Created);
        replay.AssertStatus(HttpStatusCode.Created);
        Assert.False(first.Raw.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", RateLimitTests.Header(replay.Raw, "Idempotent-Replayed"));
        Assert.Equal(first.Body!.ToJsonString(), replay.Body!.ToJsonString());
        Assert.Equal([first.Id], (await owner.GetAsync("/api/v1/orders")).Ids);
    }

    [Fact]
    public async Task The_same_key_fired_concurrently_creates_exactly_one_order()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(7.50m);
        var key = Guid.NewGuid().ToString();
        var order = TakeawayOrder(menu);

        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostOrderAsync(owner, key, order)));

        var orders = (await owner.GetAsync("/api/v1/orders")).Ids.ToList();
        var created = Assert.Single(orders);
        Assert.All(responses, response => Assert.True(
            (response.Status == HttpStatusCode.Created && response.Id == created) || response.Status == HttpStatusCode.Conflict,
            $"{(int)response.Status}: {response.Body?.ToJsonString()}"));
        Assert.Contains(responses, response => response.Status == HttpStatusCode.Created);
    }

    [Fact]
    public async Task A_retry_after_Redis_lost_the_key_finds_the_order_the_first_try_created_and_a_different_body_is_still_a_422()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(12.00m, 30.00m);
        var key = Guid.NewGuid().ToString();
        var order = TakeawayOrder(menu);

        var first = (await PostOrderAsync(owner, key, order)).AssertStatus(HttpStatusCode.Created);
        // What a replica killed before it settled the key, a commit answered after the api gave up, or a frozen Redis leave.
        await ForgetInRedisAsync(key);
        var retry = await PostOrderAsync(owner, key, order);
        await ForgetInRedisAsync(key);
        var different = await PostOrderAsync(owner, key, TakeawayOrder(menu, product: 1));

        retry.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("true", RateLimitTests.Header(retry.Raw, "Idempotent-Replayed"));
        Assert.Equal(first.Id, retry.Id);
        Assert.Equal(first.Body!["data"]!["items"]!.ToJsonString(), retry.Body!["data"]!["items"]!.ToJsonString());
        different.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal([first.Id], (await owner.GetAsync("/api/v1/orders")).Ids);
    }

    [Fact]
    public async Task The_same_key_with_a_different_body_is_a_422_and_changes_nothing()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m, 20.00m);
        var key = Guid.NewGuid().ToString();

        var first = (await PostOrderAsync(owner, key, TakeawayOrder(menu))).AssertStatus(HttpStatusCode.Created);
        var different = await PostOrderAsync(owner, key, TakeawayOrder(menu, product: 1));

        different.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("Esta Idempotency-Key já foi usada com outra requisição.", different.Message);
        Assert.Equal([first.Id], (await owner.GetAsync("/api/v1/orders")).Ids);
    }

    [Fact]
    public async Task Keys_belong_to_one_user_so_another_user_with_the_same_key_creates_their_own()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        using var stranger = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        var strangersMenu = await stranger.CreateMenuAsync(10.00m);
        var key = Guid.NewGuid().ToString();

        var byOwner = (await PostOrderAsync(owner, key, TakeawayOrder(menu))).AssertStatus(HttpStatusCode.Created);
        var byWaiter = (await PostOrderAsync(waiter, key, TakeawayOrder(menu))).AssertStatus(HttpStatusCode.Created);
        var byStranger = (await PostOrderAsync(stranger, key, TakeawayOrder(strangersMenu))).AssertStatus(HttpStatusCode.Created);

        Assert.Equal(3, new[] { byOwner.Id, byWaiter.Id, byStranger.Id }.Distinct().Count());
        Assert.False(byWaiter.Raw.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, (await owner.GetAsync("/api/v1/orders")).Items.Count());
    }

    [Fact]
    public async Task A_refused_request_is_replayed_as_refused_even_once_the_reason_is_gone()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var key = Guid.NewGuid().ToString();
        var existing = await owner.CreateTableAsync(7);

        var refused = await PostAsync(owner, "/api/v1/tables", key, new { number = 7, seats = 4 });
        (await owner.DeleteAsync($"/api/v1/tables/{existing}")).AssertStatus(HttpStatusCode.NoContent);
        var replayed = await PostAsync(owner, "/api/v1/tables", key, new { number = 7, seats = 4 });
        var withNewKey = await PostAsync(owner, "/api/v1/tables", Guid.NewGuid().ToString(), new { number = 7, seats = 4 });

        refused.AssertStatus(HttpStatusCode.UnprocessableEntity);
        replayed.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("true", RateLimitTests.Header(replayed.Raw, "Idempotent-Replayed"));
        Assert.Equal(refused.Body!.ToJsonString(), replayed.Body!.ToJsonString());
        withNewKey.AssertStatus(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has spaces in it")]
    [InlineData("{\"json\": true}")]
    public async Task A_malformed_key_is_a_400(string key)
    {
        using var owner = await ApiSession.RegisterAsync(topology);

        var tooLong = await PostAsync(owner, "/api/v1/categories", new string('k', 256), new { name = "Bebidas" });
        var malformed = await PostAsync(owner, "/api/v1/categories", key, new { name = "Bebidas" });

        foreach (var response in new[] { tooLong, malformed })
        {
            response.AssertStatus(HttpStatusCode.BadRequest);
            Assert.Contains("Idempotency-Key", response.Message, StringComparison.Ordinal);
        }

        Assert.Empty((await owner.GetAsync("/api/v1/categories")).Items);
    }

    private async Task ForgetInRedisAsync(string key)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? "");
        var server = redis.GetServers().Single();
        var forgotten = 0;
        await foreach (var stored in server.KeysAsync(pattern: $"vsmenu:idempotency:*:{key}"))
        {
            forgotten += await redis.GetDatabase().KeyDeleteAsync(stored) ? 1 : 0;
        }

        Assert.Equal(1, forgotten);
    }

    private static object TakeawayOrder(ApiSession.Menu menu, int product = 0) => OrderBodies.Takeaway(menu.CustomerId, menu.Products[product], 2);

    private static Task<ApiResponse> PostOrderAsync(ApiSession session, string key, object order) => PostAsync(session, "/api/v1/orders", key, order);

    private static async Task<ApiResponse> PostAsync(ApiSession session, string path, string key, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
        return await ApiResponse.ReadAsync(await session.Http.SendAsync(request, Cancellation));
    }
}
