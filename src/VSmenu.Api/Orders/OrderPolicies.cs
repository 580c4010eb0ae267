using Microsoft.AspNetCore.Authorization;
using VSmenu.Api.Auth;
using VSmenu.Data.Users;

namespace VSmenu.Api.Orders;

/// <summary>
/// Who takes and edits orders (front of house) and who may erase one (management). Status changes follow
/// <see cref="VSmenu.Data.Orders.OrderWorkflow"/>, which names the roles of each step.
/// </summary>
public static class OrderPolicies
{
    public const string TakeOrders = "orders.take";
    public const string DeleteOrders = "orders.delete";

    public static AuthorizationBuilder AddOrderPolicies(this AuthorizationBuilder authorization) => authorization
        .AddPolicy(TakeOrders, policy => policy.RequireRoles(Role.Owner, Role.Manager, Role.Waiter))
        .AddPolicy(DeleteOrders, policy => policy.RequireRoles(Role.Owner, Role.Manager));
}
