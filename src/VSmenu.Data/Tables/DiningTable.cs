using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Tables;

/// <summary>A table in the dining room (<c>tables</c> in the API).</summary>
public sealed class DiningTable : ITenantOwned, IIdentified, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    /// <summary>The number painted on the table; unique within the restaurant.</summary>
    public int Number { get; set; }

    public int Seats { get; set; }

    public TableStatus Status { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
