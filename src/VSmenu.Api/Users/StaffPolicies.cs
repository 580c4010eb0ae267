using Microsoft.AspNetCore.Authorization;
using VSmenu.Api.Auth;
using VSmenu.Data.Users;

namespace VSmenu.Api.Users;

/// <summary>Who manages a restaurant's staff: its owners and managers; only an owner may touch an owner.</summary>
public static class StaffPolicies
{
    public const string ManageStaff = "staff.manage";

    public static AuthorizationBuilder AddStaffPolicies(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(ManageStaff, policy => policy.RequireRoles(Role.Owner, Role.Manager));

    /// <summary>Whether <paramref name="actor"/> may create, change or remove a user who has (or gets) <paramref name="subject"/>.</summary>
    public static bool MayManage(Role actor, Role subject) => actor is Role.Owner || (actor is Role.Manager && subject is not Role.Owner);
}
