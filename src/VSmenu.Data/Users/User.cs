using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Users;

/// <summary>A member of a restaurant's staff who signs in to the API.</summary>
public sealed class User : ITenantOwned, IIdentified, ITimestamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-cased; unique across all tenants, because sign-in is by e-mail alone.</summary>
    public required string Email { get; set; }

    public required string PasswordHash { get; set; }

    public Role Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
