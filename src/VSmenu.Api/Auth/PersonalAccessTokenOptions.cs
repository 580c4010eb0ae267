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
}
