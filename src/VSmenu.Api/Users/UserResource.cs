using VSmenu.Data.Users;

namespace VSmenu.Api.Users;

public sealed record UserResource(long Id, long TenantId, string Name, string Email, Role Role, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static UserResource From(User user) =>
        new(user.Id, user.TenantId, user.Name, user.Email, user.Role, user.CreatedAt, user.UpdatedAt);
}
