using VSmenu.Api.Edge.RateLimiting;

namespace VSmenu.Api.Edge.Cors;

public static class CorsExtensions
{
    private const string PolicyName = "vsmenu";

    /// <summary>Adds the API's CORS policy: listed origins, any method and header, credentials, and the rate-limit headers readable by scripts.</summary>
    public static WebApplicationBuilder AddApiCors(this WebApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection(VsmenuCorsOptions.SectionName).Get<VsmenuCorsOptions>()?.AllowedOrigins
            ?? new VsmenuCorsOptions().AllowedOrigins;
        builder.Services.AddCors(cors => cors.AddPolicy(PolicyName, policy => policy
            .WithOrigins(origins)
            .SetIsOriginAllowedToAllowWildcardSubdomains()
            .AllowAnyMethod()
            .AllowAnyHeader()
            .AllowCredentials()
            .WithExposedHeaders(RateLimitHeaders.Limit, RateLimitHeaders.Remaining, RateLimitHeaders.Reset, "Retry-After")));
        return builder;
    }

    /// <summary>
    /// Answers preflights and adds CORS headers on the spec's paths only (<c>api/*</c> and <c>broadcasting/auth</c>),
    /// before authentication and rate limits, so a preflight is never refused or counted and a 401 or 429 stays readable.
    /// </summary>
    public static WebApplication UseApiCors(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/broadcasting/auth"),
            api => api.UseCors(PolicyName));
        return app;
    }
}
