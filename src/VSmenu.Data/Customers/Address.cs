using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Customers;

/// <summary>A customer's delivery address.</summary>
public sealed class Address : ITenantOwned, IIdentified, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public long CustomerId { get; set; }

    /// <summary>How the customer names it ("Casa", "Trabalho").</summary>
    public string? Label { get; set; }

    public required string Street { get; set; }

    public required string Number { get; set; }

    public string? Complement { get; set; }

    public string? District { get; set; }

    public required string City { get; set; }

    public required string State { get; set; }

    public required string PostalCode { get; set; }

    /// <summary>A landmark for the courier.</summary>
    public string? Reference { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
