namespace VSmenu.Api.Auth;

/// <summary><c>Auth</c> settings.</summary>
public sealed class PersonalAccessTokenOptions
{
    /// <summary>
    /// How long a token lives unused (<c>Auth:TokenLifetime</c>): each use, recorded at most once a minute, moves its
    /// expiry this far ahead, so a tablet in daily use stays signed in and one lost in a drawer stops working within it.
    /// Set it empty for tokens that live until revoked (Sanctum's default).
    /// </summary>
    public TimeSpan? TokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// How long an api replica may take a token it looked up from memory instead of PostgreSQL
    /// (<c>Auth:TokenCacheLifetime</c>): the longest a revocation can take to reach a replica that did not hear of it,
    /// which <see cref="TokenRevocations"/> makes the revoking request wait out. Zero looks every request up.
    /// </summary>
    public TimeSpan TokenCacheLifetime { get; set; } = TimeSpan.FromSeconds(1);
}
