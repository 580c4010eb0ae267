using VSmenu.Api.Infrastructure;
using VSmenu.Api.Users;

namespace VSmenu.Api.Auth;

public sealed record RegisterRequest(string? RestaurantName, string? Name, string? Email, string? Password, string? DeviceName) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("restaurant_name", RestaurantName).Required().MaxLength(120);
        validator.Field("name", Name).Required().MaxLength(120);
        validator.Field("email", Email).Required().Email().MaxLength(254);
        validator.Field("password", Password).Required().MinLength(UserRequest.MinPasswordLength).MaxLength(200);
        validator.Field("device_name", DeviceName).MaxLength(120);
    }
}

public sealed record LoginRequest(string? Email, string? Password, string? DeviceName) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("email", Email).Required().MaxLength(254);
        validator.Field("password", Password).Required().MaxLength(200);
        validator.Field("device_name", DeviceName).MaxLength(120);
    }
}

public sealed record TenantResource(long Id, string Name, string Slug, string Email, DateTimeOffset CreatedAt);

public sealed record RegisteredResource(string Token, UserResource User, TenantResource Tenant);

public sealed record SignedInResource(string Token, UserResource User);

public sealed record CallerResource(UserResource User, TenantResource Tenant, string[] Abilities, DateTimeOffset? TokenExpiresAt);
