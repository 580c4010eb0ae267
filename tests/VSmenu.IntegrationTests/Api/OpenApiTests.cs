using System.Net;
using System.Text.Json.Nodes;

namespace VSmenu.IntegrationTests.Api;

public sealed class OpenApiTests(TopologyFixture topology)
{
    [Fact]
    public async Task The_document_describes_the_endpoints_their_snake_case_schemas_and_the_bearer_scheme()
    {
        using var http = ApiSession.CreateDeviceClient(topology);

        var response = await http.GetAsync("/openapi/v1.json", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[] { "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/orders/{orderId}/items", "/api/v1/auth/login", "/api/v1/products", "/api/v1/tables" })
        {
            Assert.True(paths.ContainsKey(path), $"{path} is missing");
        }

        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
        Assert.NotNull(paths["/api/v1/orders"]!["post"]!["security"]);
        Assert.Null(paths["/api/v1/auth/login"]!["post"]!["security"]);
        Assert.NotNull(paths["/api/v1/categories"]!["post"]!["responses"]!["201"]!["content"]!["application/json"]!["schema"]);
        Assert.NotNull(paths["/api/v1/orders"]!["get"]!["responses"]!["400"]);
        var schemas = document["components"]!["schemas"]!.AsObject();
        Assert.True(schemas["CreateOrderRequest"]!["properties"]!.AsObject().ContainsKey("delivery_address_id"));
        Assert.True(schemas["OrderResource"]!["properties"]!.AsObject().ContainsKey("cancellation_reason"));
    }
}
