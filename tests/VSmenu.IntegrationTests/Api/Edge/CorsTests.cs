using System.Net;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>The spec's <c>config/cors.php</c>: vsmenu.io subdomains and the local dev servers, with credentials.</summary>
public sealed class CorsTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://app.vsmenu.io", "/api/v1/orders")]
    [InlineData("https://pos.loja-1.vsmenu.io", "/api/v1/orders/42")]
    [InlineData("http://localhost:5173", "/api/v1/auth/login")]
    [InlineData("http://localhost:3000", "/api/v1/products")]
    public async Task A_preflight_from_an_allowed_origin_is_answered_without_a_token(string origin, string path)
    {
        using var http = ApiSession.CreateDeviceClient(topology);

        using var response = await PreflightAsync(http, origin, path);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(origin, RateLimitTests.Header(response, "Access-Control-Allow-Origin"));
        Assert.Equal("true", RateLimitTests.Header(response, "Access-Control-Allow-Credentials"));
        Assert.Contains("PATCH", RateLimitTests.Header(response, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Contains("authorization", RateLimitTests.Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("idempotency-key", RateLimitTests.Header(response, "Access-Control-Allow-Headers"), StringComparison.OrdinalIgnoreCase);
        Assert.False(response.Headers.Contains("X-RateLimit-Limit"));
    }

    [Theory]
    [InlineData("https://evil.example.com")]
    [InlineData("https://vsmenu.io.evil.example.com")]
    [InlineData("https://evilvsmenu.io")]
    [InlineData("http://app.vsmenu.io")]
    [InlineData("http://localhost:8080")]
    [InlineData("null")]
    public async Task An_origin_off_the_list_gets_no_cors_headers(string origin)
    {
        using var http = ApiSession.CreateDeviceClient(topology);
        using var owner = await ApiSession.RegisterAsync(topology);

        using var preflight = await PreflightAsync(http, origin, "/api/v1/orders");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Add("Origin", origin);
        request.Headers.Authorization = owner.Http.DefaultRequestHeaders.Authorization;
        using var actual = await http.SendAsync(request, Cancellation);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(actual.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(actual.Headers.Contains("Access-Control-Allow-Credentials"));
        Assert.Equal(HttpStatusCode.OK, actual.StatusCode);
    }

    [Fact]
    public async Task An_actual_request_from_an_allowed_origin_may_read_the_rate_limit_headers_even_on_a_401()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var http = ApiSession.CreateDeviceClient(topology);

        using var signedIn = await SendWithOriginAsync(http, "https://admin.vsmenu.io", owner);
        using var anonymous = await SendWithOriginAsync(http, "https://admin.vsmenu.io", null);

        foreach (var response in new[] { signedIn, anonymous })
        {
            Assert.Equal("https://admin.vsmenu.io", RateLimitTests.Header(response, "Access-Control-Allow-Origin"));
            Assert.Equal("true", RateLimitTests.Header(response, "Access-Control-Allow-Credentials"));
            var exposed = RateLimitTests.Header(response, "Access-Control-Expose-Headers");
            Assert.Contains("X-RateLimit-Limit", exposed, StringComparison.Ordinal);
            Assert.Contains("X-RateLimit-Remaining", exposed, StringComparison.Ordinal);
            Assert.Contains("Retry-After", exposed, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Paths_outside_api_and_broadcasting_auth_get_no_cors_headers()
    {
        using var http = ApiSession.CreateDeviceClient(topology);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health");
        request.Headers.Add("Origin", "https://app.vsmenu.io");

        using var response = await http.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient http, string origin, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "PATCH");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type,idempotency-key,x-socket-id");
        return await http.SendAsync(request, Cancellation);
    }

    private static async Task<HttpResponseMessage> SendWithOriginAsync(HttpClient http, string origin, ApiSession? session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
        request.Headers.Add("Origin", origin);
        request.Headers.Authorization = session?.Http.DefaultRequestHeaders.Authorization;
        return await http.SendAsync(request, Cancellation);
    }
}
