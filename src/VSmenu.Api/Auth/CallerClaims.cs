using System.Globalization;
using System.Security.Claims;
using VSmenu.Data;
using VSmenu.Data.Users;

namespace VSmenu.Api.Auth;

/// <summary>The claims a personal access token gives its bearer, and typed access to them.</summary>
public static class CallerClaims
{
    public const string UserId = "sub";
    public const string TenantId = "tenant_id";
    public const string TokenId = "token_id";

    public static long GetUserId(this ClaimsPrincipal caller) => ReadLong(caller, UserId);

    public static long GetTenantId(this ClaimsPrincipal caller) => ReadLong(caller, TenantId);

    public static long GetTokenId(this ClaimsPrincipal caller) => ReadLong(caller, TokenId);

    public static Role GetRole(this ClaimsPrincipal caller) =>
        WireEnum<Role>.Parse(caller.FindFirstValue(ClaimTypes.Role) ?? throw new InvalidOperationException("The caller has no role."));

    public static ClaimsPrincipal Create(long userId, long tenantId, long tokenId, string name, Role role, string authenticationType) =>
        new(new ClaimsIdentity(
            [
                new Claim(UserId, userId.ToString(CultureInfo.InvariantCulture)),
                new Claim(TenantId, tenantId.ToString(CultureInfo.InvariantCulture)),
                new Claim(TokenId, tokenId.ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, name),
                new Claim(ClaimTypes.Role, WireEnum<Role>.Name(role)),
            ],
            authenticationType));

    private static long ReadLong(ClaimsPrincipal caller, string type) =>
        long.Parse(caller.FindFirstValue(type) ?? throw new InvalidOperationException($"The caller has no {type} claim."), CultureInfo.InvariantCulture);
}
