using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Menu;
using VSmenu.Data.Orders;

namespace VSmenu.Api.Orders;

/// <summary>
/// Turns ordered lines into charged items at the catalogue's prices. A client's <c>price</c> is only a check:
/// if it differs from the menu, the client is looking at a stale menu and the line is refused, never re-priced.
/// </summary>
public static class OrderPricing
{
    public static List<OrderItem> Price(
        IReadOnlyList<OrderLineRequest> lines, IReadOnlyDictionary<long, Product> catalogue, ValidationErrors errors, string prefix = "items.")
    {
        var items = new List<OrderItem>(lines.Count);
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var field = prefix.Length == 0 ? "" : $"{prefix}{i}.";
            if (!catalogue.TryGetValue(line.ProductId!.Value, out var product))
            {
                errors.Add($"{field}product_id", ApiText.Exists.Format($"{field}product_id"));
                continue;
            }

            var quantity = line.Quantity!.Value;
            var orderedOfSameProduct = lines.Where(other => other.ProductId == product.Id).Sum(other => other.Quantity ?? 0);
            if (!product.CanSupply(orderedOfSameProduct))
            {
                errors.Add($"{field}product_id", ApiText.ProductUnavailable.Format(product.Name));
            }
            else if (line.Price is { } quoted && quoted != product.Price)
            {
                errors.Add($"{field}price", ApiText.StalePrice.Format(product.Name, product.Price));
            }
            else
            {
                var item = new OrderItem { ProductId = product.Id, ProductName = product.Name, Notes = line.Notes };
                item.Charge(product.Price, quantity);
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>Recalculates the order's total and refuses the change when an amount would not fit the database's money columns.</summary>
    public static bool TotalFits(Order order, ValidationErrors errors)
    {
        order.RecalculateTotal();
        if (!order.AmountsFit)
        {
            errors.Add("items", ApiText.OrderTooLarge.Format(Money.Max));
        }

        return order.AmountsFit;
    }
}
