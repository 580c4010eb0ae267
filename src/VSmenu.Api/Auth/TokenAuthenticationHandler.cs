using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Tenancy;

namespace VSmenu.Api.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer {id}|{secret}</c> against the stored hash, rejects revoked and expired
/// tokens, and fixes the request's tenant: from here on every query is scoped to it. A token looked up in the last second
/// is taken from the <see cref="TokenCache"/>; revocations evict it on every replica (<see cref="TokenRevocations"/>).
/// </summary>
internal sealed class TokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    VsmenuDbContext db,
    CurrentTenant currentTenant,
    IOptions<PersonalAccessTokenOptions> tokenOptions,
    TokenCache cache,
    TimeProvider clock) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Bearer";

    /// <summary>Recording every use would turn each read into a write; a minute's precision is what Sanctum users rely on.</summary>
    private static readonly TimeSpan LastUsedPrecision = TimeSpan.FromMinutes(1);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        // Signing in or up establishes who the caller is: a token sent along (another restaurant's, say) is not theirs
        // to act under, and the endpoint sets the tenant of the identity it establishes.
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || Context.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!PersonalAccessTokens.TryParse(header["Bearer ".Length..].Trim(), out var tokenId, out var secret))
        {
            return AuthenticateResult.Fail("Malformed token.");
        }

        var token = cache.TryGet(tokenId, out var cached) ? cached : await LookUpAsync(tokenId, secret);
        if (token is null || !PersonalAccessTokens.Matches(secret, token.TokenHash))
        {
            return AuthenticateResult.Fail("Unknown or revoked token.");
        }

        if (token.ExpiresAt <= clock.GetUtcNow())
        {
            return AuthenticateResult.Fail("Expired token.");
        }

        currentTenant.Set(token.TenantId);
        var caller = CallerClaims.Create(token.UserId, token.TenantId, tokenId, token.Name, token.Role, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(caller, SchemeName));
    }

    /// <summary>Reads the token from the database and caches it; records its use (see <see cref="LastUsedPrecision"/>) when <paramref name="secret"/> is its own.</summary>
    private async Task<ValidatedToken?> LookUpAsync(long tokenId, string secret)
    {
        var lookup = cache.BeginLookup();
        var stored = await db.PersonalAccessTokens.IgnoreQueryFilters().AsNoTracking()
            .Where(token => token.Id == tokenId)
            .Select(token => new { token.LastUsedAt, Token = new ValidatedToken(token.TokenHash, token.ExpiresAt, token.TenantId, token.UserId, token.User.Name, token.User.Role) })
            .FirstOrDefaultAsync(Context.RequestAborted);
        var now = clock.GetUtcNow();
        if (stored is null || stored.Token.ExpiresAt <= now || !PersonalAccessTokens.Matches(secret, stored.Token.TokenHash))
        {
            return stored?.Token;
        }

        if (stored.LastUsedAt is null || now - stored.LastUsedAt >= LastUsedPrecision)
        {
            // Concurrent requests on one token all see it stale; the predicate lets only the first one write. A token
            // that expires is given its lifetime again from now: the lifetime is how long a token may lie unused.
            var stale = now - LastUsedPrecision;
            DateTimeOffset? slidExpiry = tokenOptions.Value.TokenLifetime is { } lifetime ? now + lifetime : null;
            await db.PersonalAccessTokens.IgnoreQueryFilters()
                .Where(t => t.Id == tokenId && (t.LastUsedAt == null || t.LastUsedAt < stale))
                .ExecuteUpdateAsync(
                    update =>
                    {
                        update.SetProperty(t => t.LastUsedAt, now);
                        if (slidExpiry is not null)
                        {
                            update.SetProperty(t => t.ExpiresAt, t => t.ExpiresAt == null ? null : slidExpiry);
                        }
                    },
                    Context.RequestAborted);
        }

        cache.Add(tokenId, stored.Token, lookup);
        return stored.Token;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = SchemeName;
        return Response.WriteAsJsonAsync(new ErrorBody(ApiText.Unauthenticated.Format()), Context.RequestAborted);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status403Forbidden;
        return Response.WriteAsJsonAsync(new ErrorBody(ApiText.Forbidden.Format()), Context.RequestAborted);
    }
}
