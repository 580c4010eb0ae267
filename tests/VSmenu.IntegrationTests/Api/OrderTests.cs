using System.Net;

namespace VSmenu.IntegrationTests.Api;

public sealed class OrderTests(TopologyFixture topology)
{
    [Fact]
    public async Task An_order_is_priced_from_the_catalogue_and_answered_in_the_spec_s_shape()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(25.50m, 0.10m);
        var addressId = await owner.CreateAddressAsync(menu.CustomerId);

        var created = await owner.PostAsync("/api/v1/orders", new
        {
            type = "delivery",
            customer_id = menu.CustomerId,
            delivery_address_id = addressId,
            payment_method = "credit_card",
            notes = "Sem cebola",
            items = new object[] { new { product_id = menu.Products[0], quantity = 2, price = 25.50m }, new { product_id = menu.Products[1], quantity = 3 } },
        });

        created.AssertStatus(HttpStatusCode.Created);
        var order = created.Data;
        Assert.Equal($"/api/v1/orders/{created.Id}", created.Raw.Headers.Location?.OriginalString);
        Assert.Equal("pending", order["status"]!.GetValue<string>());
        Assert.Equal("51.30", order["total"]!.ToJsonString());
        Assert.Equal(menu.CustomerId, order["customer"]!["id"]!.GetValue<long>());
        Assert.Equal("joao@example.com", order["customer"]!["email"]!.GetValue<string>());
        var first = order["items"]![0]!;
        Assert.Equal("Produto 0", first["product_name"]!.GetValue<string>());
        Assert.Equal(("25.50", "51.00", 2), (first["price"]!.ToJsonString(), first["subtotal"]!.ToJsonString(), first["quantity"]!.GetValue<int>()));
        Assert.Equal("0.30", order["items"]![1]!["subtotal"]!.ToJsonString());
        Assert.EndsWith("Z", order["created_at"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(order.ToJsonString(), (await owner.GetAsync($"/api/v1/orders/{created.Id}")).Data.ToJsonString());
    }

    [Fact]
    public async Task A_client_price_that_differs_from_the_menu_is_refused_as_stale()
    {
        using var owner = await ApiSession.RegisterAsync(topology, language: "en");
        var menu = await owner.CreateMenuAsync(25.50m);

        var stale = await owner.PostAsync("/api/v1/orders", new
        {
            type = "takeaway",
            customer_id = menu.CustomerId,
            items = new[] { new { product_id = menu.Products[0], quantity = 1, price = 22.00m } },
        });

        stale.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["The price of Produto 0 changed to 25.50; refresh the menu."], stale.Errors("items.0.price"));
        Assert.Empty((await owner.GetAsync("/api/v1/orders")).Items);
    }

    [Fact]
    public async Task Unknown_or_unavailable_references_are_422s_on_their_fields()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        var outOfStock = await owner.CreateProductAsync(menu.CategoryId, 5.00m, "Pudim", stock: 1);

        var response = await owner.PostAsync("/api/v1/orders", new
        {
            type = "delivery",
            customer_id = 999_999,
            delivery_address_id = 999_999,
            items = new[] { new { product_id = 999_999L, quantity = 1 }, new { product_id = outOfStock, quantity = 2 } },
        });

        response.AssertStatus(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(["O customer_id selecionado é inválido."], response.Errors("customer_id"));
        Assert.Equal(["O delivery_address_id selecionado é inválido."], response.Errors("delivery_address_id"));
        Assert.Equal(["O items.0.product_id selecionado é inválido."], response.Errors("items.0.product_id"));
        Assert.Equal(["O produto Pudim não está disponível na quantidade pedida."], response.Errors("items.1.product_id"));
    }

    [Theory]
    [InlineData("dine_in", new[] { "confirmed", "preparing", "ready", "served", "completed" })]
    [InlineData("takeaway", new[] { "confirmed", "preparing", "ready", "picked_up", "completed" })]
    [InlineData("delivery", new[] { "confirmed", "preparing", "ready", "out_for_delivery", "delivered", "completed" })]
    public async Task Each_order_type_walks_its_life_cycle(string type, string[] steps)
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var orderId = await CreateOrderAsync(owner, type);

        foreach (var step in steps)
        {
            var moved = (await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = step })).AssertStatus(HttpStatusCode.OK);
            Assert.Equal(step, moved.Data["status"]!.GetValue<string>());
        }

        Assert.Equal("completed", (await owner.GetAsync($"/api/v1/orders/{orderId}")).Data["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_illegal_transition_is_a_409_naming_both_states()
    {
        using var owner = await ApiSession.RegisterAsync(topology, language: "en");
        var orderId = await CreateOrderAsync(owner, "takeaway");

        var skip = await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "ready" });
        var wrongBranch = await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "out_for_delivery" });

        skip.AssertStatus(HttpStatusCode.Conflict);
        Assert.Equal("A takeaway order cannot move from pending to ready.", skip.Message);
        wrongBranch.AssertStatus(HttpStatusCode.Conflict);
        Assert.Contains("pending", wrongBranch.Message, StringComparison.Ordinal);
        Assert.Contains("out_for_delivery", wrongBranch.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Sixteen clients change one order's notes at once while eight confirm it: each change waits for the one before and
    /// is applied on what it wrote, so every request is answered 200, none 409 "try again".
    /// </summary>
    [Fact]
    public async Task Many_clients_changing_one_order_at_once_are_all_applied_one_after_another()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var orderId = await CreateOrderAsync(owner, "takeaway");
        var notes = Enumerable.Range(0, 16).Select(index => $"client {index}").ToList();

        var answers = await Task.WhenAll(
            notes.Select(note => owner.PatchAsync($"/api/v1/orders/{orderId}", new { notes = note }))
                .Concat(Enumerable.Range(0, 8).Select(_ => owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "confirmed" }))));

        Assert.All(answers, answer => answer.AssertStatus(HttpStatusCode.OK));
        var order = (await owner.GetAsync($"/api/v1/orders/{orderId}")).Data;
        Assert.Equal("confirmed", order["status"]!.GetValue<string>());
        Assert.Contains(order["notes"]!.GetValue<string>(), notes);
    }

    [Fact]
    public async Task Roles_move_only_their_own_steps()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var kitchen = await owner.AddStaffAsync("kitchen");
        using var waiter = await owner.AddStaffAsync("waiter");
        using var courier = await owner.AddStaffAsync("delivery");
        var orderId = await CreateOrderAsync(owner, "delivery");
        var path = $"/api/v1/orders/{orderId}";

        (await kitchen.PatchAsync(path, new { status = "confirmed" })).AssertStatus(HttpStatusCode.Forbidden);
        (await waiter.PatchAsync(path, new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        (await waiter.PatchAsync(path, new { status = "preparing" })).AssertStatus(HttpStatusCode.Forbidden);
        (await kitchen.PatchAsync(path, new { status = "preparing" })).AssertStatus(HttpStatusCode.OK);
        (await waiter.PatchAsync(path, new { status = "cancelled", cancellation_reason = "cliente desistiu" })).AssertStatus(HttpStatusCode.Forbidden);
        (await kitchen.PatchAsync(path, new { status = "ready" })).AssertStatus(HttpStatusCode.OK);
        (await kitchen.PatchAsync(path, new { status = "out_for_delivery" })).AssertStatus(HttpStatusCode.Forbidden);
        (await courier.PatchAsync(path, new { status = "out_for_delivery" })).AssertStatus(HttpStatusCode.OK);
        (await kitchen.PatchAsync(path, new { notes = "mudou" })).AssertStatus(HttpStatusCode.Forbidden);
        var forbidden = await waiter.PatchAsync(path, new { status = "delivered" });
        Assert.Equal("O papel waiter não pode mudar um pedido de out_for_delivery para delivered.", forbidden.AssertStatus(HttpStatusCode.Forbidden).Message);
    }

    [Fact]
    public async Task Cancelling_needs_a_reason_and_then_records_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var orderId = await CreateOrderAsync(owner, "takeaway");

        var withoutReason = await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "cancelled" });
        var cancelled = await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "cancelled", cancellation_reason = "Cliente desistiu" });

        Assert.Equal(["O campo cancellation_reason é obrigatório quando status é cancelled."],
            withoutReason.AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("cancellation_reason"));
        Assert.Equal("Cliente desistiu", cancelled.AssertStatus(HttpStatusCode.OK).Data["cancellation_reason"]!.GetValue<string>());
        (await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Only_pending_or_cancelled_orders_can_be_deleted()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var pending = await CreateOrderAsync(owner, "takeaway");
        var confirmed = await CreateOrderAsync(owner, "takeaway");
        (await owner.PatchAsync($"/api/v1/orders/{confirmed}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);

        (await owner.DeleteAsync($"/api/v1/orders/{pending}")).AssertStatus(HttpStatusCode.NoContent);
        var refused = await owner.DeleteAsync($"/api/v1/orders/{confirmed}");

        Assert.Equal("Só pedidos pendentes ou cancelados podem ser excluídos; este está confirmed.", refused.AssertStatus(HttpStatusCode.Conflict).Message);
        (await owner.PatchAsync($"/api/v1/orders/{confirmed}", new { status = "cancelled", cancellation_reason = "teste" })).AssertStatus(HttpStatusCode.OK);
        (await owner.DeleteAsync($"/api/v1/orders/{confirmed}")).AssertStatus(HttpStatusCode.NoContent);
        (await owner.GetAsync($"/api/v1/orders/{confirmed}")).AssertStatus(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Items_change_while_pending_and_the_total_follows()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m, 2.25m);
        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
        var items = $"/api/v1/orders/{order.Id}/items";
        var firstItem = order.Data["items"]![0]!["id"]!.GetValue<long>();

        var added = (await owner.PostAsync(items, new { product_id = menu.Products[1], quantity = 4 })).AssertStatus(HttpStatusCode.Created);
        (await owner.PatchAsync($"{items}/{firstItem}", new { quantity = 3 })).AssertStatus(HttpStatusCode.OK);
        var listed = (await owner.GetAsync(items)).AssertStatus(HttpStatusCode.OK);
        Assert.Equal("39.00", (await owner.GetAsync($"/api/v1/orders/{order.Id}")).Data["total"]!.ToJsonString());
        Assert.Equal(2, listed.Body!["meta"]!["total"]!.GetValue<int>());

        (await owner.DeleteAsync($"{items}/{added.Id}")).AssertStatus(HttpStatusCode.NoContent);
        Assert.Equal("30.00", (await owner.GetAsync($"/api/v1/orders/{order.Id}")).Data["total"]!.ToJsonString());
        Assert.Equal(["O pedido deve conter pelo menos um item."],
            (await owner.DeleteAsync($"{items}/{firstItem}")).AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("items"));
        Assert.Equal(["O preço de Produto 1 mudou para 2,25; atualize o cardápio."],
            (await owner.PostAsync(items, new { product_id = menu.Products[1], quantity = 1, price = 2.00m })).AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("price"));

        (await owner.PatchAsync($"/api/v1/orders/{order.Id}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);
        var locked = await owner.PostAsync(items, new { product_id = menu.Products[1], quantity = 1 });
        Assert.Equal("Os itens só podem mudar enquanto o pedido está pendente; este está confirmed.", locked.AssertStatus(HttpStatusCode.Conflict).Message);
        (await owner.PatchAsync($"{items}/{firstItem}", new { quantity = 9 })).AssertStatus(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Order_type_decides_which_references_are_required()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        var line = new[] { new { product_id = menu.Products[0], quantity = 1 } };

        var dineIn = await owner.PostAsync("/api/v1/orders", new { type = "dine_in", items = line });
        var takeaway = await owner.PostAsync("/api/v1/orders", new { type = "takeaway", table_id = 1, items = line });
        var unknownType = await owner.PostAsync("/api/v1/orders", new { type = "drive_thru", items = line });

        Assert.Equal(["O campo table_id é obrigatório quando type é dine_in."], dineIn.AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("table_id"));
        Assert.Equal(["O campo customer_id é obrigatório quando type é takeaway."], takeaway.AssertStatus(HttpStatusCode.UnprocessableEntity).Errors("customer_id"));
        Assert.Equal(["O campo table_id não é permitido quando type é takeaway."], takeaway.Errors("table_id"));
        Assert.StartsWith("O campo type deve ser um dos seguintes valores: dine_in, takeaway, delivery", unknownType.Errors("type").Single(), StringComparison.Ordinal);
    }

    internal static async Task<long> CreateOrderAsync(ApiSession owner, string type)
    {
        var menu = await owner.CreateMenuAsync(12.00m);
        var line = new[] { new { product_id = menu.Products[0], quantity = 2 } };
        object body = type switch
        {
            "dine_in" => new { type, table_id = await owner.CreateTableAsync(Random.Shared.Next(1, 9_999)), items = line },
            "delivery" => new { type, customer_id = menu.CustomerId, delivery_address_id = await owner.CreateAddressAsync(menu.CustomerId), items = line },
            _ => new { type, customer_id = menu.CustomerId, items = line },
        };
        return (await owner.PostAsync("/api/v1/orders", body)).AssertStatus(HttpStatusCode.Created).Id;
    }
}
