using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace VSmenu.IntegrationTests.Api;

public sealed class AuthTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Register_creates_a_restaurant_and_its_owner_and_returns_a_working_token()
    {
        using var anonymous = ApiSession.CreateDeviceClient(topology);
        var email = ApiSession.UniqueEmail();

        var registered = await ApiResponse.ReadAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { restaurant_name = "Pão & Café", name = "Bia", email = email.ToUpperInvariant(), password = ApiSession.Password }, Cancellation));

        registered.AssertStatus(HttpStatusCode.Created);
        Assert.Equal("owner", registered.Data["user"]!["role"]!.GetValue<string>());
        Assert.Equal(email, registered.Data["user"]!["email"]!.GetValue<string>());
        Assert.StartsWith("pao-cafe", registered.Data["tenant"]!["slug"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(registered.Data["user"]!["password_hash"]);
        var me = await ApiSession.MeAsync(topology, registered.Data["token"]!.GetValue<string>());
        me.AssertStatus(HttpStatusCode.OK);
        Assert.Equal(registered.Data["tenant"]!["id"]!.GetValue<long>(), me.Data["tenant"]!["id"]!.GetValue<long>());
        Assert.Equal(["*"], me.Data["abilities"]!.AsArray().Select(ability => ability!.GetValue<string>()));
    }

    [Fact]
    public async Task Login_with_the_right_password_issues_a_new_token_and_a_wrong_one_is_a_422_on_email()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var anonymous = ApiSession.CreateDeviceClient(topology);

        var good = await ApiResponse.ReadAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login",
            new { email = owner.Email, password = ApiSession.Password, device_name = "POS 1" }, Cancellation));
        var bad = await ApiResponse.ReadAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login",
            new { email = owner.Email, password = "wrong password" }, Cancellation));
        var unknown = await ApiResponse.ReadAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login",
            new { email = ApiSession.UniqueEmail(), password = ApiSession.Password }, Cancellation));

        good.AssertStatus(HttpStatusCode.OK);
        Assert.NotEqual(owner.Token, good.Data["token"]!.GetValue<string>());
        (await ApiSession.MeAsync(topology, good.Data["token"]!.GetValue<string>())).AssertStatus(HttpStatusCode.OK);
        foreach (var refused in new[] { bad, unknown })
        {
            refused.AssertStatus(HttpStatusCode.UnprocessableEntity);
            Assert.Equal(["Estas credenciais não correspondem aos nossos registros."], refused.Errors("email"));
        }
    }

    [Fact]
    public async Task Logout_revokes_only_the_token_it_was_called_with()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var anonymous = ApiSession.CreateDeviceClient(topology);
        var other = await ApiResponse.ReadAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login",
            new { email = owner.Email, password = ApiSession.Password }, Cancellation));

        var logout = await owner.PostAsync("/api/v1/auth/logout", new { });

        logout.AssertStatus(HttpStatusCode.NoContent);
        (await owner.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.Unauthorized);
        (await ApiSession.MeAsync(topology, other.Data["token"]!.GetValue<string>())).AssertStatus(HttpStatusCode.OK);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        await topology.ExecuteSqlAsync($"UPDATE personal_access_tokens SET expires_at = now() - interval '1 second' WHERE user_id = {owner.UserId}");

        var me = await owner.GetAsync("/api/v1/auth/me");

        me.AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Equal("Não autenticado.", me.Message);
    }

    [Fact]
    public async Task Use_of_a_token_is_recorded_and_only_its_hash_is_stored()
    {
        using var owner = await ApiSession.RegisterAsync(topology);

        (await owner.GetAsync("/api/v1/auth/me")).AssertStatus(HttpStatusCode.OK);

        await using var connection = await topology.OpenDatabaseAsync();
        await using var command = new NpgsqlCommand($"SELECT token_hash, last_used_at IS NOT NULL FROM personal_access_tokens WHERE user_id = {owner.UserId}", connection);
        await using var reader = await command.ExecuteReaderAsync(Cancellation);
        Assert.True(await reader.ReadAsync(Cancellation));
        var secret = owner.Token.Split('|')[1];
        Assert.NotEqual(secret, reader.GetString(0));
        Assert.Equal(64, reader.GetString(0).Length);
        Assert.True(reader.GetBoolean(1));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer not-a-token")]
    [InlineData("Bearer 1|0000000000000000000000000000000000000000000000000000000000000000")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task Requests_without_a_valid_token_get_401_with_a_message(string? authorization)
    {
        using var http = ApiSession.CreateDeviceClient(topology);
        if (authorization is not null)
        {
            http.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        var response = await ApiResponse.ReadAsync(await http.GetAsync("/api/v1/orders", Cancellation));

        response.AssertStatus(HttpStatusCode.Unauthorized);
        Assert.Equal("Não autenticado.", response.Message);
    }

    [Fact]
    public async Task Registering_an_e_mail_twice_is_a_validation_error_in_the_callers_language()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var http = ApiSession.CreateDeviceClient(topology);
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US,en;q=0.9");

        var shortPassword = await ApiResponse.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register",
            new { restaurant_name = "Outro", name = "X", email = ApiSession.UniqueEmail(), password = "short" }, Cancellation));
        var again = await ApiResponse.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register",
            new { restaurant_name = "Outro", name = "X", email = owner.Email, password = ApiSession.Password }, Cancellation));

        shortPassword.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("The given data was invalid.", shortPassword.Message);
        Assert.Equal(["The password field must be at least 8 characters."], shortPassword.Errors("password"));
        again.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["The email has already been taken."], again.Errors("email"));
    }

    [Fact]
    public async Task Register_reports_every_missing_field_in_portuguese_by_default()
    {
        using var http = ApiSession.CreateDeviceClient(topology);

        var response = await ApiResponse.ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register", new { email = "not-an-email" }, Cancellation));

        response.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["O campo restaurant_name é obrigatório."], response.Errors("restaurant_name"));
        Assert.Equal(["O campo email deve ser um endereço de e-mail válido."], response.Errors("email"));
        Assert.Equal(["O campo password é obrigatório."], response.Errors("password"));
    }
}
