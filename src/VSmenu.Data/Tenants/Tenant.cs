namespace VSmenu.Data.Tenants;

/// <summary>A restaurant: the unit of isolation. Every other record belongs to exactly one tenant.</summary>
public sealed class Tenant : ITimestamped
{
    public long Id { get; set; }

    public required string Name { get; set; }

    /// <summary>URL-safe, unique name used by the public delivery page (<c>/r/{slug}</c>).</summary>
    public required string Slug { get; set; }

    /// <summary>Where the restaurant receives its order notifications.</summary>
    public required string Email { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
