using Microsoft.AspNetCore.Authorization;
using VSmenu.Api.Auth;
using VSmenu.Data.Users;

namespace VSmenu.Api.Customers;

/// <summary>Every member of staff looks customers up (couriers need addresses); front of house records them.</summary>
public static class CustomerPolicies
{
    public const string ManageCustomers = "customers.manage";

    public static AuthorizationBuilder AddCustomerPolicies(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(ManageCustomers, policy => policy.RequireRoles(Role.Owner, Role.Manager, Role.Waiter));
}
