using System.Net;

namespace VSmenu.IntegrationTests.Api;

/// <summary>A second restaurant sees none of the first one's records: reads, changes and deletes all answer 404, lists are empty.</summary>
public sealed class TenantIsolationTests(TopologyFixture topology)
{
    [Fact]
    public async Task Another_tenant_gets_404_for_every_record_and_sees_none_in_lists()
    {
        using var first = await ApiSession.RegisterAsync(topology);
        using var second = await ApiSession.RegisterAsync(topology);
        var menu = await first.CreateMenuAsync(10.00m);
        var addressId = await first.CreateAddressAsync(menu.CustomerId);
        var tableId = await first.CreateTableAsync(1);
        var order = (await first.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
        var itemId = order.Data["items"]![0]!["id"]!.GetValue<long>();
        using var waiter = await first.AddStaffAsync("waiter");

        var records = new Dictionary<string, object>
        {
            [$"/api/v1/categories/{menu.CategoryId}"] = new { name = "Roubada" },
            [$"/api/v1/products/{menu.Products[0]}"] = new { price = 0.01m },
            [$"/api/v1/customers/{menu.CustomerId}"] = new { name = "Roubado" },
            [$"/api/v1/customers/{menu.CustomerId}/addresses/{addressId}"] = new { street = "Roubada" },
            [$"/api/v1/tables/{tableId}"] = new { status = "cleaning" },
            [$"/api/v1/orders/{order.Id}"] = new { status = "confirmed" },
            [$"/api/v1/orders/{order.Id}/items/{itemId}"] = new { quantity = 9 },
            [$"/api/v1/users/{waiter.UserId}"] = new { name = "Roubado" },
        };

        foreach (var (path, change) in records)
        {
            Assert.Equal(HttpStatusCode.NotFound, (await second.GetAsync(path)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await second.PatchAsync(path, change)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await second.DeleteAsync(path)).Status);
            (await first.GetAsync(path)).AssertStatus(HttpStatusCode.OK);
        }

        foreach (var list in new[]
        {
            "/api/v1/categories", "/api/v1/products", "/api/v1/customers", "/api/v1/tables", "/api/v1/orders",
            $"/api/v1/customers/{menu.CustomerId}/addresses", $"/api/v1/orders/{order.Id}/items",
        })
        {
            var response = await second.GetAsync(list);
            Assert.True(response.Status is HttpStatusCode.NotFound || (response.Status is HttpStatusCode.OK && !response.Items.Any()), $"{list}: {response.Body}");
        }

        Assert.Equal([second.UserId], (await second.GetAsync("/api/v1/users")).Ids);
        Assert.Equal("Produto 0", (await first.GetAsync($"/api/v1/products/{menu.Products[0]}")).Data["name"]!.GetValue<string>());
        Assert.Equal("10.00", (await first.GetAsync($"/api/v1/products/{menu.Products[0]}")).Data["price"]!.ToJsonString());
    }

    [Fact]
    public async Task Another_tenant_s_ids_in_a_body_are_unknown_ids()
    {
        using var first = await ApiSession.RegisterAsync(topology);
        using var second = await ApiSession.RegisterAsync(topology);
        var theirs = await first.CreateMenuAsync(10.00m);
        var theirTable = await first.CreateTableAsync(1);
        var ours = await second.CreateCategoryAsync();

        var order = await second.PostAsync("/api/v1/orders", OrderBodies.Takeaway(theirs.CustomerId, theirs.Products[0]));
        var dineIn = await second.PostAsync("/api/v1/orders", new { type = "dine_in", table_id = theirTable, items = new[] { new { product_id = theirs.Products[0], quantity = 1 } } });
        var product = await second.PostAsync("/api/v1/products", new { name = "X", price = 1, category_id = theirs.CategoryId });
        var address = await second.PostAsync($"/api/v1/customers/{theirs.CustomerId}/addresses", new { street = "A", number = "1", city = "B", state = "C", postal_code = "D" });

        order.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.NotEmpty(order.Errors("customer_id"));
        Assert.NotEmpty(order.Errors("items.0.product_id"));
        Assert.NotEmpty(dineIn.AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("table_id"));
        Assert.NotEmpty(product.AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("category_id"));
        address.AssertStatus(HttpStatusCode.NotFound);
        Assert.Empty((await first.GetAsync($"/api/v1/customers/{theirs.CustomerId}/addresses")).Items);
        Assert.NotEqual(0, ours);
    }
}
