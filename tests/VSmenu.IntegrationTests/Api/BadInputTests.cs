using System.Net;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Whatever a client sends, the answer is a 4xx with a message, never a 500, and nothing is half-written.</summary>
public sealed class BadInputTests(TopologyFixture topology)
{
    public static TheoryData<string, string, string, HttpStatusCode> Bodies => new()
    {
        { "POST", "/api/v1/orders", "{\"type\":\"takeaway\",", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "not json at all", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "[]", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "null", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "{\"type\":\"takeaway\",\"customer_id\":\"abc\",\"items\":[]}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "{\"type\":\"takeaway\",\"customer_id\":1,\"items\":[{\"product_id\":1,\"quantity\":1e40}]}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "{\"type\":\"takeaway\",\"customer_id\":99999999999999999999999,\"items\":[]}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "{\"type\":\"takeaway\",\"customer_id\":1,\"items\":{\"product_id\":1}}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/orders", "{\"type\":\"takeaway\",\"customer_id\":1,\"items\":[{\"product_id\":1,\"quantity\":-3}]}", HttpStatusCode.UnprocessableEntity },
        { "POST", "/api/v1/orders", "{\"type\":7}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/products", "{\"name\":\"x\",\"price\":-1,\"category_id\":1}", HttpStatusCode.UnprocessableEntity },
        { "POST", "/api/v1/products", "{\"name\":\"x\",\"price\":1.999,\"category_id\":1}", HttpStatusCode.UnprocessableEntity },
        { "POST", "/api/v1/products", "{\"name\":\"x\",\"price\":1e30,\"category_id\":1}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/tables", "{\"number\":2147483648,\"seats\":1}", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/customers", "{\"name\":\"" + new string('x', 121) + "\"}", HttpStatusCode.UnprocessableEntity },
        { "PATCH", "/api/v1/tables/1", "{\"status\":", HttpStatusCode.BadRequest },
        { "PATCH", "/api/v1/tables/1", "[1,2]", HttpStatusCode.BadRequest },
        { "POST", "/api/v1/auth/login", "{\"email\":[],\"password\":{}}", HttpStatusCode.BadRequest },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task Malformed_or_invalid_bodies_get_a_4xx_with_a_message(string method, string path, string body, HttpStatusCode expected)
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        if (path.StartsWith("/api/v1/tables/", StringComparison.Ordinal))
        {
            path = $"/api/v1/tables/{await owner.CreateTableAsync(1)}";
        }

        var response = await owner.SendRawAsync(new HttpMethod(method), path, body);

        response.AssertStatus(expected);
        Assert.False(string.IsNullOrWhiteSpace(response.Message));
        Assert.Empty((await owner.GetAsync("/api/v1/orders")).Items);
    }

    [Fact]
    public async Task An_oversize_body_is_refused_with_413()
    {
        using var owner = await ApiSession.RegisterAsync(topology);

        var response = await owner.SendRawAsync(HttpMethod.Post, "/api/v1/customers", $"{{\"name\":\"{new string('x', 1_000_000)}\"}}", expectContinue: true);

        response.AssertStatus(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("O corpo da requisição é grande demais.", response.Message);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_an_unknown_route_a_json_404()
    {
        using var owner = await ApiSession.RegisterAsync(topology);

        var form = await owner.SendRawAsync(HttpMethod.Post, "/api/v1/customers", "name=x", "application/x-www-form-urlencoded");
        var patchForm = await owner.SendRawAsync(HttpMethod.Patch, "/api/v1/customers/1", "name=x", "text/plain");
        var unknown = await owner.GetAsync("/api/v1/reservations");
        var badId = await owner.GetAsync("/api/v1/orders/not-a-number");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, patchForm.Status);
        Assert.False(string.IsNullOrWhiteSpace(patchForm.Message));
        Assert.Equal("Recurso não encontrado.", unknown.AssertStatus(HttpStatusCode.NotFound).Message);
        Assert.Equal(HttpStatusCode.NotFound, badId.Status);
    }
}
