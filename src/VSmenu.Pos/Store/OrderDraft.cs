using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VSmenu.Pos.Store;

/// <summary>
/// What a till can check of a new order or an order change without the server, and the record it shows until the
/// server's version comes back. The server checks everything again when the mutation is pushed (the workflow, stock,
/// roles); what it refuses then is kept with its reason and the order takes the server's version.
/// </summary>
public static class OrderDraft
{
    public const int MaxQuantity = 999;

    private static readonly string[] Types = ["dine_in", "takeaway", "delivery"];
    private static readonly string[] ChangeableFields = ["status", "cancellation_reason", "notes", "payment_method"];

    /// <summary>The product ids a new order names, to look up in the local menu.</summary>
    public static IReadOnlyList<long> ProductIds(JsonElement orderData) =>
        orderData.ValueKind is JsonValueKind.Object && orderData.TryGetProperty("items", out var items) && items.ValueKind is JsonValueKind.Array
            ? items.EnumerateArray().Select(item => item.ValueKind is JsonValueKind.Object && item.TryGetProperty("product_id", out var id) && id.TryGetInt64(out var value) ? value : 0).Where(id => id > 0).ToList()
            : [];

    /// <summary>The order as the REST API would show it once created, priced from the local menu; no <c>id</c> until pushed.</summary>
    public static JsonObject Create(JsonElement orderData, IReadOnlyDictionary<long, JsonObject> products, Guid clientId, DateTimeOffset now)
    {
        if (orderData.ValueKind is not JsonValueKind.Object)
        {
            throw PosError.Of(400, "The order must be a JSON object.");
        }

        var errors = new Dictionary<string, string>();
        var type = Text(orderData, "type");
        if (type is null || !Types.Contains(type, StringComparer.Ordinal))
        {
            errors["type"] = $"The type field must be one of: {string.Join(", ", Types)}.";
        }

        if (type == "dine_in" && Number(orderData, "table_id") is null)
        {
            errors["table_id"] = "The table_id field is required when type is dine_in.";
        }

        var items = new JsonArray();
        var total = 0m;
        if (!orderData.TryGetProperty("items", out var lines) || lines.ValueKind is not JsonValueKind.Array || lines.GetArrayLength() == 0)
        {
            errors["items"] = "An order needs at least one item.";
        }
        else
        {
            var index = 0;
            foreach (var line in lines.EnumerateArray())
            {
                var productId = line.ValueKind is JsonValueKind.Object ? Number(line, "product_id") : null;
                var quantity = line.ValueKind is JsonValueKind.Object ? Number(line, "quantity") : null;
                if (productId is not { } id || !products.TryGetValue(id, out var product))
                {
                    errors[$"items.{index}.product_id"] = $"The selected items.{index}.product_id is not on this terminal's menu.";
                }
                else if (product["is_available"]?.GetValue<bool>() == false)
                {
                    errors[$"items.{index}.product_id"] = $"{product["name"]} is not available.";
                }
                else if (quantity is not (>= 1 and <= MaxQuantity))
                {
                    errors[$"items.{index}.quantity"] = $"The items.{index}.quantity field must be between 1 and {MaxQuantity}.";
                }
                else
                {
                    var price = product["price"]!.GetValue<decimal>();
                    var subtotal = price * quantity.Value;
                    total += subtotal;
                    items.Add(new JsonObject
                    {
                        ["id"] = null,
                        ["order_id"] = null,
                        ["product_id"] = id,
                        ["product_name"] = product["name"]?.DeepClone(),
                        ["quantity"] = quantity.Value,
                        ["price"] = price,
                        ["subtotal"] = subtotal,
                        ["notes"] = Text(line, "notes"),
                    });
                }

                index++;
            }
        }

        if (errors.Count > 0)
        {
            throw PosError.Invalid(errors);
        }

        var instant = PosJson.Wire(now);
        return new JsonObject
        {
            ["id"] = null,
            ["client_id"] = clientId.ToString(),
            ["type"] = type,
            ["status"] = "pending",
            ["customer_id"] = Number(orderData, "customer_id"),
            ["table_id"] = Number(orderData, "table_id"),
            ["delivery_address_id"] = Number(orderData, "delivery_address_id"),
            ["payment_method"] = Text(orderData, "payment_method"),
            ["notes"] = Text(orderData, "notes"),
            ["items"] = items,
            ["total"] = total,
            ["cancellation_reason"] = null,
            ["created_at"] = instant,
            ["updated_at"] = instant,
        };
    }

    /// <summary>Applies the fields a change sends (status, cancellation_reason, notes, payment_method) to the shown order.</summary>
    public static JsonObject Change(JsonObject order, JsonElement orderData, DateTimeOffset now)
    {
        if (orderData.ValueKind is not JsonValueKind.Object)
        {
            throw PosError.Of(400, "The change must be a JSON object.");
        }

        var errors = new Dictionary<string, string>();
        var changed = order.DeepClone().AsObject();
        var any = false;
        foreach (var property in orderData.EnumerateObject())
        {
            if (!ChangeableFields.Contains(property.Name, StringComparer.Ordinal))
            {
                errors[property.Name] = $"The {property.Name} field cannot be changed here; allowed: {string.Join(", ", ChangeableFields)}.";
                continue;
            }

            changed[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            any = true;
        }

        if (!any && errors.Count == 0)
        {
            errors["status"] = "Send at least one of: " + string.Join(", ", ChangeableFields) + ".";
        }

        if (PosJson.Text(changed["status"]) == "cancelled" && string.IsNullOrWhiteSpace(PosJson.Text(changed["cancellation_reason"])))
        {
            errors["cancellation_reason"] = "The cancellation_reason field is required when status is cancelled.";
        }

        if (errors.Count > 0)
        {
            throw PosError.Invalid(errors);
        }

        changed["updated_at"] = PosJson.Wire(now);
        return changed;
    }

    private static string? Text(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String ? value.GetString() : null;

    private static long? Number(JsonElement data, string name) =>
        data.TryGetProperty(name, out var value) && value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetInt64(out var number) ? (long?)number : null,
            JsonValueKind.String => long.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : null,
            _ => null,
        } is { } found ? found : null;
}
