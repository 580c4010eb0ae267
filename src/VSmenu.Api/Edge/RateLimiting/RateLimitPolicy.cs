namespace VSmenu.Api.Edge.RateLimiting;

/// <summary>The limits an endpoint counts against; an endpoint may carry several, and each must allow the request.</summary>
public enum RateLimitPolicy
{
    /// <summary>Every API request: per user when signed in, per IP address otherwise.</summary>
    Api,

    /// <summary>New orders, per user (the spec's <c>throttle:10,1</c>).</summary>
    OrderCreation,

    /// <summary>Sign-in and sign-up, per IP address and e-mail, against credential stuffing.</summary>
    Credentials,
}

internal sealed record RateLimitedMetadata(RateLimitPolicy Policy);

public static class RateLimitPolicyExtensions
{
    public static TBuilder RateLimited<TBuilder>(this TBuilder builder, RateLimitPolicy policy) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RateLimitedMetadata(policy));
}
