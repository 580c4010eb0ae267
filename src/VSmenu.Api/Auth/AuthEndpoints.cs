using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;
using VSmenu.Api.Edge.RateLimiting;
using VSmenu.Api.Infrastructure;
using VSmenu.Api.Users;
using VSmenu.Data;
using VSmenu.Data.Tenancy;
using VSmenu.Data.Tenants;
using VSmenu.Data.Users;

namespace VSmenu.Api.Auth;

public static class AuthEndpoints
{
    private const string DefaultDeviceName = "api";
    private const string TenantSlugIndex = "ix_tenants_slug";

    public static RouteGroupBuilder MapAuthEndpoints(this RouteGroupBuilder api)
    {
        var auth = api.MapGroup("/auth").WithTags("Auth");

        auth.MapPost("/register", RegisterAsync).AllowAnonymous().RateLimited(RateLimitPolicy.Credentials).Produces<DataResponse<RegisteredResource>>(StatusCodes.Status201Created);
        auth.MapPost("/login", LoginAsync).AllowAnonymous().RateLimited(RateLimitPolicy.Credentials).Produces<DataResponse<SignedInResource>>();
        auth.MapPost("/logout", LogoutAsync).RequireAuthorization().Produces(StatusCodes.Status204NoContent);
        auth.MapGet("/me", MeAsync).RequireAuthorization().Produces<DataResponse<CallerResource>>();
        return api;
    }

    private static async Task<IResult> RegisterAsync(
        RegisterRequest body, VsmenuDbContext db, CurrentTenant currentTenant, PasswordHashing passwords,
        IOptions<PersonalAccessTokenOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var email = body.Email!.ToLowerInvariant();
        if (await UserEndpoints.EmailTakenAsync(db, email, exceptUserId: null, cancellationToken))
        {
            return ApiResults.Invalid("email", ApiText.Unique.Format("email"));
        }

        var baseSlug = Slug.From(body.RestaurantName!);
        var slug = await db.Tenants.AnyAsync(tenant => tenant.Slug == baseSlug, cancellationToken) ? WithSuffix(baseSlug) : baseSlug;
        var tenant = new Tenant { Name = body.RestaurantName!, Slug = slug, Email = email };
        var owner = new User { Name = body.Name!, Email = email, PasswordHash = "", Role = Role.Owner };
        owner.PasswordHash = await passwords.HashAsync(owner, body.Password!, cancellationToken);

        // The tenant's id must exist before anything can belong to it: two saves, one transaction.
        var strategy = db.Database.CreateExecutionStrategy();
        IssuedToken token;
        while (true)
        {
            try
            {
                token = await strategy.ExecuteAsync(async () =>
                {
                    await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                    db.Tenants.Add(tenant);
                    await db.SaveChangesAsync(cancellationToken);
                    currentTenant.Set(tenant.Id);
                    owner.TenantId = tenant.Id;
                    db.Users.Add(owner);
                    var issued = PersonalAccessTokens.Issue(db, owner, body.DeviceName ?? DefaultDeviceName, ExpiryFrom(options, clock));
                    await db.SaveChangesAsync(cancellationToken);
                    await transaction.CommitAsync(cancellationToken);
                    return issued;
                });
                break;
            }
            catch (DbUpdateException conflict) when (conflict.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: TenantSlugIndex })
            {
                // Another restaurant of the same name registered between the check and the insert.
                db.ChangeTracker.Clear();
                tenant.Id = 0;
                tenant.Slug = WithSuffix(baseSlug);
            }
        }

        return TypedResults.Created("/api/v1/auth/me", DataResponse.Of(new RegisteredResource(token.PlainText, UserResource.From(owner), ToResource(tenant))));
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest body, VsmenuDbContext db, CurrentTenant currentTenant, PasswordHashing passwords,
        IOptions<PersonalAccessTokenOptions> options, TimeProvider clock, CancellationToken cancellationToken)
    {
        var email = body.Email!.ToLowerInvariant();
        var user = await db.Users.IgnoreQueryFilters().FirstOrDefaultAsync(user => user.Email == email, cancellationToken);
        var verdict = await passwords.VerifyAsync(user, body.Password!, cancellationToken);
        if (user is null || verdict is PasswordVerificationResult.Failed)
        {
            return ApiResults.Invalid("email", ApiText.BadCredentials.Format());
        }

        currentTenant.Set(user.TenantId);
        if (verdict is PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = await passwords.HashAsync(user, body.Password!, cancellationToken);
        }

        var token = PersonalAccessTokens.Issue(db, user, body.DeviceName ?? DefaultDeviceName, ExpiryFrom(options, clock));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Ok(DataResponse.Of(new SignedInResource(token.PlainText, UserResource.From(user))));
    }

    private static async Task<IResult> LogoutAsync(ClaimsPrincipal caller, VsmenuDbContext db, TokenRevocations revocations, CancellationToken cancellationToken)
    {
        var tokenId = caller.GetTokenId();
        await db.PersonalAccessTokens.Where(token => token.Id == tokenId).ExecuteDeleteAsync(cancellationToken);
        await revocations.EvictEverywhereAsync(TokenEviction.Token(tokenId), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal caller, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var tokenId = caller.GetTokenId();
        // The caller's token came from a replica's cache, so it may have been revoked since (within that cache's second).
        if (await db.PersonalAccessTokens.AsNoTracking().Include(token => token.User)
            .FirstOrDefaultAsync(token => token.Id == tokenId, cancellationToken) is not { } token)
        {
            return ApiResults.Error(StatusCodes.Status401Unauthorized, ApiText.Unauthenticated.Format());
        }

        var tenant = await db.Tenants.AsNoTracking().FirstAsync(tenant => tenant.Id == token.TenantId, cancellationToken);
        return TypedResults.Ok(DataResponse.Of(new CallerResource(UserResource.From(token.User), ToResource(tenant), token.Abilities, token.ExpiresAt)));
    }

    private static TenantResource ToResource(Tenant tenant) => new(tenant.Id, tenant.Name, tenant.Slug, tenant.Email, tenant.CreatedAt);

    private static DateTimeOffset? ExpiryFrom(IOptions<PersonalAccessTokenOptions> options, TimeProvider clock) =>
        options.Value.TokenLifetime is { } lifetime ? clock.GetUtcNow() + lifetime : null;

    private static string WithSuffix(string slug) => $"{slug}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
}

public static class Slug
{
    public static string From(string text)
    {
        var builder = new StringBuilder();
        foreach (var character in text.Normalize(NormalizationForm.FormD).ToLowerInvariant())
        {
            if (char.IsAsciiLetterOrDigit(character))
            {
                builder.Append(character);
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(character) is not UnicodeCategory.NonSpacingMark && builder.Length > 0 && builder[^1] != '-')
            {
                builder.Append('-');
            }
        }

        var slug = builder.ToString().Trim('-');
        return slug.Length switch
        {
            0 => "restaurant",
            > 60 => slug[..60].TrimEnd('-'),
            _ => slug,
        };
    }
}
