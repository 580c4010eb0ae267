using System.Net;
using System.Text;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>
/// The holes an adversarial pass found, each closed at its root: a sign-in limit side-stepped by a body naming the
/// e-mail twice, 500s from boundary values, a sign-in under another restaurant's token, and tokens that outlived a
/// password reset.
/// </summary>
public sealed class HardEdgeTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_body_naming_the_email_twice_is_refused_and_guesses_count_for_the_account_they_try()
    {
        using var victim = await ApiSession.RegisterAsync(topology);
        using var attacker = ApiSession.CreateDeviceClient(topology);

        for (var attempt = 0; attempt < 7; attempt++)
        {
            using var ambiguous = await PostRawAsync(attacker, "/api/v1/auth/login",
                $$"""{"email": "decoy-{{attempt}}@example.com", "password": "guess-{{attempt}}", "Email": "{{victim.Email}}"}""");
            var refused = await ApiResponse.ReadAsync(ambiguous);
            refused.AssertStatus(HttpStatusCode.BadRequest);
            Assert.Contains("Email", refused.Message, StringComparison.OrdinalIgnoreCase);
        }

        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var guess = await PostRawAsync(attacker, "/api/v1/auth/login", $$"""{"EMAIL": "{{victim.Email}}", "password": "guess-{{attempt}}"}""");
            Assert.Equal(HttpStatusCode.UnprocessableEntity, guess.StatusCode);
        }

        using var right = await PostRawAsync(attacker, "/api/v1/auth/login", $$"""{"Email": "{{victim.Email}}", "password": "{{ApiSession.Password}}"}""");
        await RateLimitTests.AssertTooManyRequestsAsync(right, limit: 5);
    }

    [Theory]
    [InlineData("/api/v1/orders", """{"type": "takeaway", "type": "delivery"}""")]
    [InlineData("/api/v1/categories", """{"name": "Pizzas", "NAME": "Massas"}""")]
    [InlineData("/api/v1/categories", """{"name": "Pizzas", "n\u0061me": "Massas"}""")]
    [InlineData("/api/v1/orders", """{"items": [{"product_id": 1, "quantity": 1, "Quantity": 999}]}""")]
    public async Task A_json_body_naming_a_property_twice_in_any_case_is_a_400_naming_it(string path, string body)
    {
        using var owner = await ApiSession.RegisterAsync(topology, language: "en");

        var response = await owner.SendRawAsync(HttpMethod.Post, path, body);

        response.AssertStatus(HttpStatusCode.BadRequest);
        Assert.StartsWith("The property ", response.Message, StringComparison.Ordinal);
        Assert.Contains("more than once", response.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/orders?created_to=9999-12-31")]
    [InlineData("/api/v1/orders?created_from=0001-01-01&created_to=9999-12-31")]
    public async Task Date_filters_at_the_ends_of_the_calendar_list_orders(string query)
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);

        var listed = (await owner.GetAsync(query)).AssertStatus(HttpStatusCode.OK);

        Assert.Single(listed.Items);
    }

    [Theory]
    [InlineData("page=30000000&per_page=100", "page")]
    [InlineData("page=1&per_page=1000", "per_page")]
    [InlineData("perPage=100", "perPage")]
    public async Task Failed_jobs_take_the_apis_paging_and_refuse_out_of_range_or_unknown_parameters(string query, string named)
    {
        using var owner = await ApiSession.RegisterAsync(topology, language: "en");

        var response = await owner.GetAsync($"/api/v1/admin/failed-jobs?{query}");
        var firstPage = await owner.GetAsync("/api/v1/admin/failed-jobs?page=1&per_page=100");

        response.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Contains(named, response.Message, StringComparison.Ordinal);
        firstPage.AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_order_whose_total_would_not_fit_the_money_column_is_a_422_and_nothing_is_stored()
    {
        using var owner = await ApiSession.RegisterAsync(topology, language: "en");
        var menu = await owner.CreateMenuAsync(99_999_999.99m);

        var order = await owner.CreateTakeawayOrderAsync(menu, (0, 999));
        var withinLimit = await owner.CreateTakeawayOrderAsync(menu, (0, 99));

        order.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.StartsWith("The order total must not exceed 9999999999.99", Assert.Single(order.Errors("items")), StringComparison.Ordinal);
        withinLimit.AssertStatus(HttpStatusCode.Created);
        var grown = await owner.PatchAsync($"/api/v1/orders/{withinLimit.Id}/items/{withinLimit.Data["items"]![0]!["id"]}", new { quantity = 999 });
        grown.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1L, await topology.QueryScalarAsync<long>($"SELECT count(*) FROM orders WHERE tenant_id = {owner.TenantId}"));
        Assert.Equal(99, await topology.QueryScalarAsync<int>($"SELECT quantity FROM order_items WHERE order_id = {withinLimit.Id}"));
    }

    [Fact]
    public async Task Signing_in_or_up_with_another_restaurants_token_acts_for_the_account_signed_into()
    {
        using var stranger = await ApiSession.RegisterAsync(topology);
        using var owner = await ApiSession.RegisterAsync(topology);

        var login = await stranger.PostAsync("/api/v1/auth/login", new { email = owner.Email, password = ApiSession.Password });
        var register = await stranger.PostAsync("/api/v1/auth/register",
            new { restaurant_name = "Outra Cantina", name = "Bia", email = ApiSession.UniqueEmail(), password = ApiSession.Password });

        login.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(owner.UserId, login.Data["user"]!["id"]!.GetValue<long>());
        register.AssertStatus(HttpStatusCode.Created);
        Assert.NotEqual(stranger.TenantId, register.Data["tenant"]!["id"]!.GetValue<long>());
    }

    [Fact]
    public async Task A_password_reset_or_role_change_revokes_that_users_tokens_and_a_self_change_keeps_the_callers()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        using var courier = await owner.AddStaffAsync("delivery");
        var ownersOtherToken = (await ApiSession.SignInAsync(topology, owner.Email)).Data["token"]!.GetValue<string>();

        (await owner.PatchAsync($"/api/v1/users/{waiter.UserId}", new { password = "a brand new password" })).AssertStatus(HttpStatusCode.OK);
        (await owner.PatchAsync($"/api/v1/users/{courier.UserId}", new { role = "kitchen" })).AssertStatus(HttpStatusCode.OK);
        (await owner.PatchAsync($"/api/v1/users/{owner.UserId}", new { password = "the owners new password" })).AssertStatus(HttpStatusCode.OK);

        (await waiter.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.Unauthorized);
        (await courier.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.Unauthorized);
        (await owner.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);
        (await ApiSession.MeAsync(topology, ownersOtherToken)).AssertStatus(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task A_token_expires_after_thirty_days_unused_and_each_use_moves_its_expiry_ahead()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var issuedExpiry = await topology.QueryScalarAsync<DateTime>($"SELECT expires_at FROM personal_access_tokens WHERE user_id = {owner.UserId}");
        await topology.ExecuteSqlAsync(
            $"UPDATE personal_access_tokens SET expires_at = now() + interval '1 day', last_used_at = now() - interval '2 days' WHERE user_id = {owner.UserId}");

        (await owner.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);
        var slidExpiry = await topology.QueryScalarAsync<DateTime>($"SELECT expires_at FROM personal_access_tokens WHERE user_id = {owner.UserId}");

        Assert.InRange(issuedExpiry, DateTime.UtcNow.AddDays(30).AddMinutes(-5), DateTime.UtcNow.AddDays(30).AddMinutes(5));
        Assert.InRange(slidExpiry, DateTime.UtcNow.AddDays(30).AddMinutes(-5), DateTime.UtcNow.AddDays(30).AddMinutes(5));
    }

    private static Task<HttpResponseMessage> PostRawAsync(HttpClient http, string path, string json) =>
        http.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Cancellation);
}
