using Microsoft.AspNetCore.Authorization;
using VSmenu.Api.Auth;
using VSmenu.Data.Users;

namespace VSmenu.Api.Menu;

/// <summary>Every member of staff reads the menu; owners and managers change it.</summary>
public static class MenuPolicies
{
    public const string ManageMenu = "menu.manage";

    public static AuthorizationBuilder AddMenuPolicies(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(ManageMenu, policy => policy.RequireRoles(Role.Owner, Role.Manager));
}
