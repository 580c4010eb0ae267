namespace VSmenu.IntegrationTests.Api;

/// <summary>The order bodies the tests send, written once.</summary>
public static class OrderBodies
{
    /// <summary>A takeaway order for a customer of <paramref name="quantity"/> of one product, at the menu's price.</summary>
    public static object Takeaway(long customerId, long productId, int quantity = 1) =>
        new { type = "takeaway", customer_id = customerId, items = new[] { new { product_id = productId, quantity } } };
}
