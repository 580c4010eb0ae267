using System.Globalization;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VSmenu.Api.Auth;
using VSmenu.Api.Infrastructure;

namespace VSmenu.Api.Edge.RateLimiting;

/// <summary>
/// Counts each request against every limit its endpoint carries. The response tells the client the tightest of them
/// (<c>X-RateLimit-Limit</c>, <c>-Remaining</c>, <c>-Reset</c>); a request over any limit is a 429 with
/// <c>Retry-After</c> and never reaches the endpoint.
/// </summary>
internal sealed class RateLimitingMiddleware(RequestDelegate next, ApiRateLimiter limiter, IOptions<RateLimitOptions> options, TimeProvider clock)
{
    private const int MaxEmailLength = 320;

    public async Task InvokeAsync(HttpContext context)
    {
        var policies = context.GetEndpoint()?.Metadata.GetOrderedMetadata<RateLimitedMetadata>() ?? [];
        if (policies.Count == 0 || !limiter.Enabled)
        {
            await next(context);
            return;
        }

        RateLimitDecision? tightest = null;
        foreach (var policy in policies.Select(metadata => metadata.Policy).Distinct())
        {
            var decision = await limiter.AcquireAsync(await RequestFor(policy, context), context.RequestAborted);
            if (!decision.Allowed)
            {
                await RejectAsync(context, decision);
                return;
            }

            if (tightest is null || decision.Remaining < tightest.Value.Remaining)
            {
                tightest = decision;
            }
        }

        WriteHeaders(context.Response, tightest!.Value);
        await next(context);
    }

    private async ValueTask<RateLimitRequest> RequestFor(RateLimitPolicy policy, HttpContext context)
    {
        var limits = options.Value;
        var userId = context.User.Identity?.IsAuthenticated == true ? context.User.FindFirstValue(CallerClaims.UserId) : null;
        var address = ClientAddress.Of(context);
        return policy switch
        {
            RateLimitPolicy.Api when userId is not null => new RateLimitRequest("user", limits.Authenticated, userId),
            RateLimitPolicy.Api => new RateLimitRequest("ip", limits.Anonymous, address),
            RateLimitPolicy.OrderCreation => new RateLimitRequest("orders", limits.OrderCreation, userId ?? address),
            RateLimitPolicy.Credentials => new RateLimitRequest("credentials", limits.Credentials, $"{address}|{await ReadEmailAsync(context.Request)}"),
            _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, null),
        };
    }

    /// <summary>
    /// The e-mail a sign-in or sign-up is for, read without consuming the body the endpoint binds later, and read as the
    /// endpoint binds it: the name ignoring case (a body naming it twice is refused before the endpoint sees it).
    /// </summary>
    private static async ValueTask<string> ReadEmailAsync(HttpRequest request)
    {
        request.EnableBuffering();
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
            var email = body.RootElement.ValueKind == JsonValueKind.Object
                ? body.RootElement.EnumerateObject().FirstOrDefault(property => property.Name.Equals("email", StringComparison.OrdinalIgnoreCase)).Value
                : default;
            return email.ValueKind == JsonValueKind.String ? Truncate(email.GetString()!.Trim().ToLowerInvariant()) : "";
        }
        catch (JsonException)
        {
            // The endpoint answers the malformed body; the attempt still counts against the address.
            return "";
        }
        finally
        {
            request.Body.Position = 0;
        }
    }

    private static string Truncate(string email) => email.Length <= MaxEmailLength ? email : email[..MaxEmailLength];

    private async Task RejectAsync(HttpContext context, RateLimitDecision decision)
    {
        var retryAfter = decision.RetryAfterSeconds(clock.GetUtcNow());
        WriteHeaders(context.Response, decision);
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        await context.Response.WriteAsJsonAsync(new ErrorBody(ApiText.TooManyRequests.Format(retryAfter)), context.RequestAborted);
    }

    private static void WriteHeaders(HttpResponse response, RateLimitDecision decision)
    {
        response.Headers[RateLimitHeaders.Limit] = decision.Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers[RateLimitHeaders.Remaining] = decision.Remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers[RateLimitHeaders.Reset] = decision.ResetsAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
    }
}

public static class RateLimitHeaders
{
    public const string Limit = "X-RateLimit-Limit";
    public const string Remaining = "X-RateLimit-Remaining";
    public const string Reset = "X-RateLimit-Reset";
}
