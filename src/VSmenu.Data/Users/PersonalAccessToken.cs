using VSmenu.Data.Tenancy;

namespace VSmenu.Data.Users;

/// <summary>
/// A bearer token as Laravel Sanctum issues them: the client holds <c>{id}|{secret}</c>, only the SHA-256 of the
/// secret is stored, so a leaked table does not leak usable tokens.
/// </summary>
public sealed class PersonalAccessToken : ITenantOwned, ICreationStamped
{
    public long Id { get; set; }

    public long TenantId { get; set; }

    public long UserId { get; set; }

    public User User { get; set; } = null!;

    /// <summary>The device or client the token was issued to.</summary>
    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the secret part.</summary>
    public required string TokenHash { get; set; }

    public required string[] Abilities { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? ExpiresAt { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
