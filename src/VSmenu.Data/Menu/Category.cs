using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Menu;

public sealed class Category : ITenantOwned, IIdentified, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public required string Name { get; set; }

    public string? Description { get; set; }

    /// <summary>Where the category appears on the menu, lowest first.</summary>
    public int Position { get; set; }

    public List<Product> Products { get; set; } = [];

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
