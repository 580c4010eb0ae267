using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Menu;

public sealed class Product : ITenantOwned, IIdentified, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public long CategoryId { get; set; }

    public Category Category { get; set; } = null!;

    public required string Name { get; set; }

    public string? Description { get; set; }

    public decimal Price { get; set; }

    public string? Sku { get; set; }

    /// <summary>Units in stock; <c>null</c> when the restaurant does not track stock for this product.</summary>
    public int? StockQuantity { get; set; }

    public bool IsAvailable { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Whether <paramref name="quantity"/> units can be ordered now.</summary>
    public bool CanSupply(int quantity) => IsAvailable && (StockQuantity is null || StockQuantity >= quantity);
}
