using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using VSmenu.Api.Auth;

namespace VSmenu.Api.SystemStatus;

/// <summary>The platform's operator key (<c>Platform:OperatorKey</c>), a secret the AppHost generates or the deployment sets.</summary>
public sealed class PlatformOptions
{
    public string? OperatorKey { get; set; }
}

/// <summary>
/// Whoever runs the platform, above every restaurant: the one caller allowed to tell every tenant's screens about
/// maintenance. A restaurant's owner is not: their role ends at their own restaurant, and the <c>system</c> channel is
/// everyone's. The operator authenticates with <c>Authorization: Bearer {Platform:OperatorKey}</c>; with no key configured
/// nobody does.
/// </summary>
internal sealed class PlatformOperatorAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IOptions<PlatformOptions> platform) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "PlatformOperator";
    public const string Role = "platform_operator";
    public const string Policy = "platform.operate";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string header = Request.Headers.Authorization.ToString();
        if (platform.Value.OperatorKey is not { Length: > 0 } key || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()), Encoding.UTF8.GetBytes(key)))
        {
            return Task.FromResult(AuthenticateResult.Fail("Not the platform operator's key."));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, "platform operator"), new Claim(ClaimTypes.Role, Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <summary>The personal-access-token scheme, first in the policy, answers the 401 or 403 with the API's error body.</summary>
    protected override Task HandleChallengeAsync(AuthenticationProperties properties) => Task.CompletedTask;

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) => Task.CompletedTask;
}

public static class PlatformOperator
{
    public static WebApplicationBuilder AddPlatformOperator(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<PlatformOptions>(builder.Configuration.GetSection("Platform"));
        builder.Services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PlatformOperatorAuthenticationHandler>(PlatformOperatorAuthenticationHandler.SchemeName, configureOptions: null);
        // Both schemes: a member of staff signed in is known and refused (403), not asked who they are (401).
        builder.Services.AddAuthorizationBuilder().AddPolicy(PlatformOperatorAuthenticationHandler.Policy, policy => policy
            .AddAuthenticationSchemes(TokenAuthenticationHandler.SchemeName, PlatformOperatorAuthenticationHandler.SchemeName)
            .RequireRole(PlatformOperatorAuthenticationHandler.Role));
        return builder;
    }
}
