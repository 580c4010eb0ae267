namespace VSmenu.Api.Auth;

/// <summary><c>Auth</c> settings.</summary>
public sealed class PersonalAccessTokenOptions
{
    /// <summary>How long a new token lives; unset means until revoked, as Sanctum's default.</summary>
    public TimeSpan? TokenLifetime { get; set; }
}
