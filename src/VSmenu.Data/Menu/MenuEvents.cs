using VSmenu.Data.Outbox;

namespace VSmenu.Data.Menu;

/// <summary>The menu's events: raised by the api (stock edited) and by the worker (stock used up by orders).</summary>
public static class MenuEvents
{
    public const string ProductOutOfStock = "product.out.of.stock";

    /// <summary>The product can no longer be ordered: the front of house and the kitchen both need to know.</summary>
    public static BroadcastEvent OutOfStock(Product product) => new(
        product.TenantId,
        ProductOutOfStock,
        [BroadcastChannels.Orders(product.TenantId), BroadcastChannels.Kitchen(product.TenantId)],
        new { Product = new { product.Id, product.Name, product.StockQuantity, product.IsAvailable, product.UpdatedAt } });
}
