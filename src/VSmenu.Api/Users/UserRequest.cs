using VSmenu.Api.Infrastructure;
using VSmenu.Data.Users;

namespace VSmenu.Api.Users;

public sealed record UserRequest(string? Name, string? Email, string? Password, string? Role) : IValidatableRequest
{
    public const int MinPasswordLength = 8;

    public void Validate(Validator validator)
    {
        validator.Field("name", Name).Required().MaxLength(120);
        validator.Field("email", Email).Required().Email().MaxLength(254);
        validator.Field("password", Password).Required().MinLength(MinPasswordLength).MaxLength(200);
        validator.Field("role", Role).Required().OneOf<Role>();
    }
}
