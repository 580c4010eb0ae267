using System.Text.Json;
using System.Text.Json.Nodes;
using VSmenu.Pos;
using VSmenu.Pos.Store;

namespace VSmenu.UnitTests.Pos;

/// <summary>What a till decides without the server: the order it shows, the changes it takes, the filters and names it reads.</summary>
public sealed class TillRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 20, 0, 0, TimeSpan.Zero);

    private static readonly Dictionary<long, JsonObject> Menu = new()
    {
        [1] = new JsonObject { ["id"] = 1, ["name"] = "X-Burger", ["price"] = 28.90m, ["is_available"] = true },
        [2] = new JsonObject { ["id"] = 2, ["name"] = "Suco", ["price"] = 7.50m, ["is_available"] = false },
    };

    private static JsonElement Json(string json) => JsonElement.Parse(json);

    private static PosError Refusal(Action action) => Assert.Throws<PosError>(action);

    [Fact]
    public void A_new_order_is_priced_from_the_local_menu_and_has_its_client_id_but_no_id()
    {
        var clientId = Guid.CreateVersion7();
        var order = OrderDraft.Create(Json("""{"type":"takeaway","customer_id":7,"items":[{"product_id":1,"quantity":3,"notes":"sem picles"}]}"""), Menu, clientId, Now);

        Assert.Null(order["id"]);
        Assert.Equal(clientId.ToString(), order["client_id"]!.GetValue<string>());
        Assert.Equal("pending", order["status"]!.GetValue<string>());
        Assert.Equal(86.70m, order["total"]!.GetValue<decimal>());
        var line = order["items"]![0]!;
        Assert.Equal("X-Burger", line["product_name"]!.GetValue<string>());
        Assert.Equal(28.90m, line["price"]!.GetValue<decimal>());
        Assert.Equal("sem picles", line["notes"]!.GetValue<string>());
        Assert.Equal(PosJson.Wire(Now), order["created_at"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("""{"type":"takeaway","items":[]}""", "items")]
    [InlineData("""{"type":"buffet","items":[{"product_id":1,"quantity":1}]}""", "type")]
    [InlineData("""{"type":"dine_in","items":[{"product_id":1,"quantity":1}]}""", "table_id")]
    [InlineData("""{"type":"takeaway","items":[{"product_id":99,"quantity":1}]}""", "items.0.product_id")]
    [InlineData("""{"type":"takeaway","items":[{"product_id":2,"quantity":1}]}""", "items.0.product_id")]
    [InlineData("""{"type":"takeaway","items":[{"product_id":1,"quantity":0}]}""", "items.0.quantity")]
    [InlineData("""{"type":"takeaway","items":[{"product_id":1,"quantity":1000}]}""", "items.0.quantity")]
    public void A_new_order_the_till_can_tell_is_wrong_is_refused_with_422_naming_the_field(string orderData, string field)
    {
        var refused = Refusal(() => OrderDraft.Create(Json(orderData), Menu, Guid.CreateVersion7(), Now));

        Assert.Equal(422, refused.Status);
        Assert.True(refused.Body["errors"]!.AsObject().ContainsKey(field), refused.Body.ToJsonString());
    }

    [Fact]
    public void A_change_applies_the_fields_sent_and_refuses_others_and_a_cancellation_without_reason()
    {
        var order = OrderDraft.Create(Json("""{"type":"takeaway","items":[{"product_id":1,"quantity":1}]}"""), Menu, Guid.CreateVersion7(), Now);

        var changed = OrderDraft.Change(order, Json("""{"status":"confirmed","notes":"mesa 4 espera"}"""), Now.AddMinutes(1));
        Assert.Equal("confirmed", changed["status"]!.GetValue<string>());
        Assert.Equal("mesa 4 espera", changed["notes"]!.GetValue<string>());
        Assert.Equal(PosJson.Wire(Now.AddMinutes(1)), changed["updated_at"]!.GetValue<string>());
        Assert.Equal("pending", order["status"]!.GetValue<string>());

        Assert.True(Refusal(() => OrderDraft.Change(order, Json("""{"total":1}"""), Now)).Body["errors"]!.AsObject().ContainsKey("total"));
        Assert.True(Refusal(() => OrderDraft.Change(order, Json("""{"status":"cancelled"}"""), Now)).Body["errors"]!.AsObject().ContainsKey("cancellation_reason"));
        Assert.Equal(422, Refusal(() => OrderDraft.Change(order, Json("{}"), Now)).Status);
    }

    [Fact]
    public void Filters_read_as_the_rest_list_reads_them_and_an_unknown_one_is_named()
    {
        var filters = OrderFilters.Parse(Json("""{"status":"pending","table_id":"4","created_from":"2026-12-01","created_to":"2026-12-01"}"""));

        Assert.Equal("pending", filters.Status);
        Assert.Equal(4, filters.TableId);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), filters.CreatedFrom);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero).AddTicks(-1), filters.CreatedTo);
        Assert.Equal(OrderFilters.None, OrderFilters.Parse(null));
        Assert.Contains("colour", Refusal(() => OrderFilters.Parse(Json("""{"colour":"red"}"""))).Message);
        Assert.Equal(400, Refusal(() => OrderFilters.Parse(Json("""{"table_id":"four"}"""))).Status);
        Assert.Equal(400, Refusal(() => OrderFilters.Parse(Json("""{"created_to":"yesterday"}"""))).Status);
    }

    [Fact]
    public void An_order_is_named_by_its_server_id_or_its_client_id_and_nothing_else()
    {
        var clientId = Guid.CreateVersion7();

        Assert.Equal(new OrderKey(42, null), OrderKey.Parse(Json("42")));
        Assert.Equal(new OrderKey(42, null), OrderKey.Parse(Json("\"42\"")));
        Assert.Equal(new OrderKey(null, clientId), OrderKey.Parse(Json($"\"{clientId}\"")));
        Assert.Equal(400, Refusal(() => OrderKey.Parse(Json("0"))).Status);
        Assert.Equal(400, Refusal(() => OrderKey.Parse(Json("9223372036854775808"))).Status);
        Assert.Equal(400, Refusal(() => OrderKey.Parse(Json("\"mesa 4\""))).Status);
        Assert.Equal(400, Refusal(() => OrderKey.Parse(Json("{}"))).Status);
    }
}
