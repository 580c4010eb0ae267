using Microsoft.AspNetCore.Authorization;
using VSmenu.Api.Auth;
using VSmenu.Data.Users;

namespace VSmenu.Api.Tables;

/// <summary>Owners and managers lay out the dining room; waiters also seat, free and clean tables.</summary>
public static class TablePolicies
{
    public const string ManageTables = "tables.manage";
    public const string ServeTables = "tables.serve";

    public static AuthorizationBuilder AddTablePolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(ManageTables, policy => policy.RequireRoles(Role.Owner, Role.Manager))
        .AddPolicy(ServeTables, policy => policy.RequireRoles(Role.Owner, Role.Manager, Role.Waiter));
}
