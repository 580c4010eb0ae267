using System.Net;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Pagination, filters, sorting and includes, and the 400 for anything off each resource's whitelist.</summary>
public sealed class ListingTests(TopologyFixture topology)
{
    [Fact]
    public async Task Pages_carry_laravel_meta_and_links_that_keep_the_other_parameters()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        for (var number = 1; number <= 17; number++)
        {
            await owner.CreateTableAsync(number);
        }

        var page = (await owner.GetAsync("/api/v1/tables?per_page=5&page=2&sort=number")).AssertStatus(HttpStatusCode.OK);
        var last = (await owner.GetAsync("/api/v1/tables?per_page=5&page=4&sort=number")).AssertStatus(HttpStatusCode.OK);
        var beyond = (await owner.GetAsync("/api/v1/tables?per_page=5&page=9")).AssertStatus(HttpStatusCode.OK);
        var byDefault = (await owner.GetAsync("/api/v1/tables")).AssertStatus(HttpStatusCode.OK);

        var meta = page.Body!["meta"]!;
        Assert.Equal((2, 6, 4, 5, 10, 17), (Int(meta, "current_page"), Int(meta, "from"), Int(meta, "last_page"), Int(meta, "per_page"), Int(meta, "to"), Int(meta, "total")));
        Assert.Equal([6, 7, 8, 9, 10], page.Items.Select(table => Int(table, "number")));
        var links = page.Body["links"]!;
        Assert.Equal("/api/v1/tables?per_page=5&sort=number&page=1", links["first"]!.GetValue<string>());
        Assert.Equal("/api/v1/tables?per_page=5&sort=number&page=4", links["last"]!.GetValue<string>());
        Assert.Equal("/api/v1/tables?per_page=5&sort=number&page=1", links["prev"]!.GetValue<string>());
        Assert.Equal("/api/v1/tables?per_page=5&sort=number&page=3", links["next"]!.GetValue<string>());
        Assert.Equal([16, 17], last.Items.Select(table => Int(table, "number")));
        Assert.Equal((17, 4, 17), (Int(last.Body!["meta"]!, "total"), Int(last.Body["meta"]!, "last_page"), Int(last.Body["meta"]!, "to")));
        Assert.Null(last.Body!["links"]!["next"]);
        Assert.Empty(beyond.Items);
        Assert.Null(beyond.Body!["meta"]!["from"]);
        Assert.Equal((17, 4), (Int(beyond.Body["meta"]!, "total"), Int(beyond.Body["meta"]!, "last_page")));
        Assert.Equal(15, byDefault.Items.Count());
    }

    [Theory]
    [InlineData("/api/v1/orders?sort=customer_id", "customer_id")]
    [InlineData("/api/v1/orders?sort=-created_at,password", "password")]
    [InlineData("/api/v1/orders?include=items,tenant", "tenant")]
    [InlineData("/api/v1/orders?status=lost", "lost")]
    [InlineData("/api/v1/orders?tenant_id=1", "tenant_id")]
    [InlineData("/api/v1/orders?created_from=yesterday", "yesterday")]
    [InlineData("/api/v1/orders?customer_id=abc", "abc")]
    [InlineData("/api/v1/orders?per_page=101", "per_page")]
    [InlineData("/api/v1/orders?page=0", "page")]
    [InlineData("/api/v1/orders?page=abc", "page")]
    [InlineData("/api/v1/products?include=orders", "orders")]
    [InlineData("/api/v1/products?is_available=maybe", "maybe")]
    [InlineData("/api/v1/tables?include=orders", "orders")]
    [InlineData("/api/v1/customers?sort=email", "email")]
    [InlineData("/api/v1/categories?sort=name;drop table orders", "name;drop table orders")]
    [InlineData("/api/v1/users?role=admin", "admin")]
    public async Task Anything_off_the_whitelist_is_a_400_naming_the_bad_value(string path, string named)
    {
        using var owner = await ApiSession.RegisterAsync(topology);

        var response = await owner.GetAsync(path);

        response.AssertStatus(HttpStatusCode.BadRequest);
        Assert.Contains(named, response.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orders_filter_by_status_type_customer_table_and_creation_time()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        var otherCustomer = await owner.CreateCustomerAsync("Outra", "outra@example.com");
        var tableId = await owner.CreateTableAsync(1);
        var takeaway = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created).Id;
        var dineIn = (await owner.PostAsync("/api/v1/orders", new { type = "dine_in", table_id = tableId, items = new[] { new { product_id = menu.Products[0], quantity = 2 } } }))
            .AssertStatus(HttpStatusCode.Created).Id;
        var confirmed = (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(otherCustomer, menu.Products[0], 3)))
            .AssertStatus(HttpStatusCode.Created).Id;
        (await owner.PatchAsync($"/api/v1/orders/{confirmed}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        await SetCreatedAtAsync(takeaway, "2025-12-14T10:00:00Z");

        Assert.Equal([confirmed], await IdsAsync(owner, "status=confirmed"));
        Assert.Equal([dineIn], await IdsAsync(owner, "type=dine_in"));
        Assert.Equal([takeaway], await IdsAsync(owner, $"customer_id={menu.CustomerId}"));
        Assert.Equal([dineIn], await IdsAsync(owner, $"table_id={tableId}"));
        Assert.Equal([takeaway], await IdsAsync(owner, "created_to=2025-12-14"));
        Assert.Equal([takeaway], await IdsAsync(owner, "created_from=2025-12-14&created_to=2025-12-14T10:00:00Z"));
        Assert.Equal([confirmed, dineIn], await IdsAsync(owner, "created_from=2025-12-15"));
        Assert.Equal([confirmed, dineIn, takeaway], await IdsAsync(owner, "sort=-total"));
        Assert.Equal([takeaway, dineIn, confirmed], await IdsAsync(owner, "sort=created_at"));
    }

    [Fact]
    public async Task Orders_include_their_items_and_customer_only_when_asked()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m, 5.50m);
        await owner.CreateTakeawayOrderAsync(menu, (0, 1), (1, 2));

        var bare = Assert.Single((await owner.GetAsync("/api/v1/orders")).Items);
        var full = Assert.Single((await owner.GetAsync("/api/v1/orders?include=items,customer")).Items);

        Assert.Null(bare["items"]);
        Assert.Null(bare["customer"]);
        Assert.Equal(2, full["items"]!.AsArray().Count);
        Assert.Equal("João Silva", full["customer"]!["name"]!.GetValue<string>());
        Assert.Equal("21.00", full["total"]!.ToJsonString());
    }

    [Fact]
    public async Task Each_order_of_a_page_carries_exactly_its_own_items_and_no_other_restaurant_s()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var neighbour = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m, 5.50m, 3.00m);
        var neighbourMenu = await neighbour.CreateMenuAsync(7.00m);
        var ordersWithLines = new List<(long Id, int Lines)>();
        for (var lines = 1; lines <= 3; lines++)
        {
            var order = (await owner.CreateTakeawayOrderAsync(menu, [.. Enumerable.Range(0, lines).Select(product => (product, lines))])).AssertStatus(HttpStatusCode.Created).Id;
            ordersWithLines.Add((order, lines));
            (await neighbour.CreateTakeawayOrderAsync(neighbourMenu, (0, 9))).AssertStatus(HttpStatusCode.Created);
        }

        var pages = new[] { 1, 2 }.Select(page => owner.GetAsync($"/api/v1/orders?include=items&sort=created_at&per_page=2&page={page}"));
        var listed = (await Task.WhenAll(pages)).SelectMany(page => page.Items).ToList();

        Assert.Equal(ordersWithLines.Select(order => order.Id), listed.Select(order => order["id"]!.GetValue<long>()));
        foreach (var (order, (id, lines)) in listed.Zip(ordersWithLines))
        {
            var items = order["items"]!.AsArray();
            Assert.Equal(lines, items.Count);
            Assert.All(items, item => Assert.Equal(id, item!["order_id"]!.GetValue<long>()));
            Assert.All(items, item => Assert.Equal(lines, item!["quantity"]!.GetValue<int>()));
        }
    }

    [Fact]
    public async Task Other_resources_filter_sort_and_include_by_their_whitelists()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var pizzas = await owner.CreateCategoryAsync("Pizzas");
        var drinks = await owner.CreateCategoryAsync("Bebidas");
        var margherita = await owner.CreateProductAsync(pizzas, 40.00m, "Margherita");
        var calabresa = await owner.CreateProductAsync(pizzas, 35.00m, "Calabresa");
        var juice = await owner.CreateProductAsync(drinks, 8.00m, "Suco de laranja");
        (await owner.PatchAsync($"/api/v1/products/{juice}", new { is_available = false })).AssertStatus(HttpStatusCode.OK);
        var maria = await owner.CreateCustomerAsync("Maria Souza", "maria@example.com");
        await owner.CreateCustomerAsync("Pedro", "pedro@example.com");
        await owner.CreateAddressAsync(maria);
        var table = await owner.CreateTableAsync(5, seats: 8);
        await owner.CreateTableAsync(6, seats: 2);
        (await owner.PatchAsync($"/api/v1/tables/{table}", new { status = "occupied" })).AssertStatus(HttpStatusCode.OK);

        Assert.Equal([calabresa, margherita], (await owner.GetAsync($"/api/v1/products?category_id={pizzas}&sort=price")).Ids);
        Assert.Equal([margherita, calabresa], (await owner.GetAsync($"/api/v1/products?category_id={pizzas}&sort=-price")).Ids);
        Assert.Equal([juice], (await owner.GetAsync("/api/v1/products?is_available=false")).Ids);
        Assert.Equal([juice], (await owner.GetAsync("/api/v1/products?search=LARANJA")).Ids);
        Assert.Equal("Bebidas", Assert.Single((await owner.GetAsync("/api/v1/products?search=suco&include=category")).Items)["category"]!["name"]!.GetValue<string>());
        Assert.Equal(2, Assert.Single((await owner.GetAsync($"/api/v1/categories?include=products&search=pizz")).Items)["products"]!.AsArray().Count);
        Assert.Equal([maria], (await owner.GetAsync("/api/v1/customers?search=souza")).Ids);
        Assert.Single(Assert.Single((await owner.GetAsync("/api/v1/customers?email=maria@example.com&include=addresses")).Items)["addresses"]!.AsArray());
        Assert.Equal([table], (await owner.GetAsync("/api/v1/tables?status=occupied")).Ids);
        Assert.Equal([table], (await owner.GetAsync("/api/v1/tables?min_seats=4")).Ids);
        Assert.Equal([6, 5], (await owner.GetAsync("/api/v1/tables?sort=-number")).Items.Select(item => Int(item, "number")));
    }

    [Theory]
    [InlineData("/api/v1/orders", "id,created_at,updated_at,total,status", "items,customer,table,delivery_address", "status=pending&type=delivery&customer_id=1&table_id=1&created_from=2025-01-01&created_to=2030-01-01")]
    [InlineData("/api/v1/products", "id,name,price,stock_quantity,created_at", "category", "category_id=1&is_available=true&search=a")]
    [InlineData("/api/v1/categories", "id,name,position,created_at", "products", "search=a")]
    [InlineData("/api/v1/customers", "id,name,created_at", "addresses", "search=a&email=a@b.c&phone=1")]
    [InlineData("/api/v1/tables", "id,number,seats,status", "", "status=available&min_seats=2")]
    [InlineData("/api/v1/users", "id,name,email,created_at", "", "role=waiter&search=a")]
    public async Task Every_whitelisted_sort_include_and_filter_is_served(string collection, string sorts, string includes, string filters)
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        // Rows in every list, so sorting and including actually run over data.
        await OrderTests.CreateOrderAsync(owner, "delivery");
        await owner.CreateTableAsync(2);

        foreach (var sort in sorts.Split(',').SelectMany(field => new[] { field, $"-{field}" }))
        {
            (await owner.GetAsync($"{collection}?sort={sort}&include={includes}")).AssertStatus(HttpStatusCode.OK);
        }

        (await owner.GetAsync($"{collection}?{filters}")).AssertStatus(HttpStatusCode.OK);
    }

    private static async Task<long[]> IdsAsync(ApiSession session, string query) =>
        (await session.GetAsync($"/api/v1/orders?{query}")).AssertStatus(HttpStatusCode.OK).Ids.ToArray();

    private static int Int(System.Text.Json.Nodes.JsonNode node, string name) => node[name]!.GetValue<int>();

    private Task SetCreatedAtAsync(long orderId, string instant) =>
        topology.ExecuteSqlAsync($"UPDATE orders SET created_at = '{instant}' WHERE id = {orderId}");
}
