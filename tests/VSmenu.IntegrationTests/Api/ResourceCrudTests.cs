using System.Net;
using System.Text.Json.Nodes;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Create, show, list, update (PATCH and PUT) and delete for each resource of the menu, customers and tables.</summary>
public sealed class ResourceCrudTests(TopologyFixture topology)
{
    public static TheoryData<string> Resources => ["categories", "products", "customers", "addresses", "tables"];

    [Theory]
    [MemberData(nameof(Resources))]
    public async Task Resource_goes_through_its_whole_life(string resource)
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (collection, create, patch, field, expected) = await DescribeAsync(owner, resource);

        var created = (await owner.PostAsync(collection, create)).AssertStatus(HttpStatusCode.Created);
        var path = $"{collection}/{created.Id}";
        var shown = (await owner.GetAsync(path)).AssertStatus(HttpStatusCode.OK);
        var listed = (await owner.GetAsync(collection)).AssertStatus(HttpStatusCode.OK);
        var patched = (await owner.PatchAsync(path, patch)).AssertStatus(HttpStatusCode.OK);
        var reread = (await owner.GetAsync(path)).AssertStatus(HttpStatusCode.OK);
        var put = (await owner.PutAsync(path, create)).AssertStatus(HttpStatusCode.OK);
        var deleted = await owner.DeleteAsync(path);
        var gone = await owner.GetAsync(path);

        Assert.Equal(created.Id, shown.Id);
        Assert.Contains(created.Id, listed.Ids);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), patched.Data[field]), $"PATCH gave {patched.Data[field]}");
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), reread.Data[field]), $"Re-read gave {reread.Data[field]}");
        Assert.True(JsonNode.DeepEquals(created.Data[field], put.Data[field]), $"PUT did not restore {field}");
        Assert.True(reread.Data["updated_at"]!.GetValue<DateTimeOffset>() >= reread.Data["created_at"]!.GetValue<DateTimeOffset>());
        deleted.AssertStatus(HttpStatusCode.NoContent);
        gone.AssertStatus(HttpStatusCode.NotFound);
        Assert.Equal("Recurso não encontrado.", gone.Message);
    }

    [Fact]
    public async Task A_patch_changes_only_the_fields_it_carries_and_an_explicit_null_clears_one()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var categoryId = await owner.CreateCategoryAsync();
        var productId = await owner.CreateProductAsync(categoryId, 10.00m, stock: 5);

        var untracked = (await owner.PatchAsync($"/api/v1/products/{productId}", new { stock_quantity = (int?)null })).AssertStatus(HttpStatusCode.OK);

        Assert.Null(untracked.Data["stock_quantity"]);
        Assert.Equal("10.00", untracked.Data["price"]!.ToJsonString());
        Assert.Equal("Pizza Margherita", untracked.Data["name"]!.GetValue<string>());
        var required = await owner.PatchAsync($"/api/v1/products/{productId}", new { name = (string?)null });
        required.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["O campo name é obrigatório."], required.Errors("name"));
    }

    [Fact]
    public async Task A_category_with_products_cannot_be_deleted()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var categoryId = await owner.CreateCategoryAsync();
        await owner.CreateProductAsync(categoryId, 10.00m);

        var delete = await owner.DeleteAsync($"/api/v1/categories/{categoryId}");

        delete.AssertStatus(HttpStatusCode.Conflict);
        Assert.Equal("O recurso está em uso por outros registros e não pode ser excluído.", delete.Message);
    }

    [Fact]
    public async Task Uniqueness_rules_are_validation_errors_on_their_field()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var categoryId = await owner.CreateCategoryAsync();
        await owner.CreateTableAsync(7);
        (await owner.PostAsync("/api/v1/products", new { name = "A", price = 1, category_id = categoryId, sku = "PZ-01" })).AssertStatus(HttpStatusCode.Created);

        var table = await owner.PostAsync("/api/v1/tables", new { number = 7, seats = 2 });
        var sku = await owner.PostAsync("/api/v1/products", new { name = "B", price = 1, category_id = categoryId, sku = "PZ-01" });

        Assert.Equal(["O valor informado para o campo number já está em uso."], table.AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("number"));
        Assert.Equal(["O valor informado para o campo sku já está em uso."], sku.AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("sku"));
    }

    [Fact]
    public async Task Staff_outside_management_read_the_menu_but_cannot_change_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var kitchen = await owner.AddStaffAsync("kitchen");
        var categoryId = await owner.CreateCategoryAsync();

        (await kitchen.GetAsync($"/api/v1/categories/{categoryId}")).AssertStatus(HttpStatusCode.OK);
        (await kitchen.PostAsync("/api/v1/categories", new { name = "Doces" })).AssertStatus(HttpStatusCode.Forbidden);
        (await kitchen.DeleteAsync($"/api/v1/categories/{categoryId}")).AssertStatus(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_waiter_changes_a_table_s_status_but_not_its_layout()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var tableId = await owner.CreateTableAsync(3);

        (await waiter.PatchAsync($"/api/v1/tables/{tableId}", new { status = "occupied" })).AssertStatus(HttpStatusCode.OK);
        (await waiter.PatchAsync($"/api/v1/tables/{tableId}", new { seats = 12 })).AssertStatus(HttpStatusCode.Forbidden);
        (await waiter.PostAsync("/api/v1/tables", new { number = 99, seats = 2 })).AssertStatus(HttpStatusCode.Forbidden);
    }

    private static async Task<(string Collection, object Create, object Patch, string Field, string Expected)> DescribeAsync(ApiSession owner, string resource)
    {
        switch (resource)
        {
            case "categories":
                return ("/api/v1/categories", new { name = "Pizzas", description = "Forno a lenha", position = 1 }, new { name = "Massas" }, "name", "\"Massas\"");
            case "products":
                var categoryId = await owner.CreateCategoryAsync();
                return ("/api/v1/products", new { name = "Calabresa", price = 39.90m, category_id = categoryId, sku = "CAL", stock_quantity = 10, is_available = true },
                    new { price = 42.50m }, "price", "42.50");
            case "customers":
                return ("/api/v1/customers", new { name = "Maria", email = "maria@example.com", phone = "+55 11 99999-0000" }, new { phone = "+55 11 3333-0000" },
                    "phone", "\"+55 11 3333-0000\"");
            case "addresses":
                var customerId = await owner.CreateCustomerAsync();
                return ($"/api/v1/customers/{customerId}/addresses",
                    new { label = "Casa", street = "Rua A", number = "1", complement = (string?)null, city = "Recife", state = "PE", postal_code = "50000-000" },
                    new { complement = "Apto 12" }, "complement", "\"Apto 12\"");
            case "tables":
                return ("/api/v1/tables", new { number = 12, seats = 4, status = "available" }, new { status = "reserved" }, "status", "\"reserved\"");
            default:
                throw new ArgumentOutOfRangeException(nameof(resource), resource, null);
        }
    }
}
