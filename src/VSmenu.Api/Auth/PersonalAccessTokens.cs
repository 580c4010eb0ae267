using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using VSmenu.Data;
using VSmenu.Data.Users;

namespace VSmenu.Api.Auth;

/// <summary>Issues and reads Sanctum-style tokens: <c>{id}|{secret}</c>, of which only the secret's SHA-256 is stored.</summary>
public static class PersonalAccessTokens
{
    public const string AllAbilities = "*";
    private const int SecretBytes = 32;

    /// <summary>Adds a token for <paramref name="user"/>; its plain text exists once, after the context saves it.</summary>
    public static IssuedToken Issue(VsmenuDbContext db, User user, string name, DateTimeOffset? expiresAt)
    {
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(SecretBytes));
        var token = new PersonalAccessToken
        {
            User = user,
            TenantId = user.TenantId,
            Name = name,
            TokenHash = Hash(secret),
            Abilities = [AllAbilities],
            ExpiresAt = expiresAt,
        };
        db.PersonalAccessTokens.Add(token);
        return new IssuedToken(token, secret);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    public static bool TryParse(string presented, out long id, out string secret)
    {
        var separator = presented.IndexOf('|', StringComparison.Ordinal);
        secret = separator < 0 ? "" : presented[(separator + 1)..];
        id = 0;
        return separator > 0
            && long.TryParse(presented.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out id)
            && secret.Length == SecretBytes * 2;
    }

    public static bool Matches(string secret, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(secret)), Encoding.ASCII.GetBytes(storedHash));
}

public sealed record IssuedToken(PersonalAccessToken Token, string Secret)
{
    /// <summary>Valid once the token is saved and has its id.</summary>
    public string PlainText => $"{Token.Id}|{Secret}";
}
