using Microsoft.AspNetCore.Authorization;
using VSmenu.Data;
using VSmenu.Data.Users;

namespace VSmenu.Api.Auth;

public static class RoleRequirements
{
    public static AuthorizationPolicyBuilder RequireRoles(this AuthorizationPolicyBuilder policy, params Role[] roles) =>
        policy.RequireRole(roles.Select(WireEnum<Role>.Name));
}
