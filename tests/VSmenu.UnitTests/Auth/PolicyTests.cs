using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using VSmenu.Api.Auth;
using VSmenu.Api.Customers;
using VSmenu.Api.Menu;
using VSmenu.Api.Orders;
using VSmenu.Api.Tables;
using VSmenu.Api.Users;
using VSmenu.Data.Users;

namespace VSmenu.UnitTests.Auth;

public sealed class PolicyTests
{
    private static readonly IAuthorizationService Authorization = new ServiceCollection()
        .AddLogging()
        .AddAuthorizationBuilder().AddVsmenuPolicies().Services
        .BuildServiceProvider()
        .GetRequiredService<IAuthorizationService>();

    public static TheoryData<string, Role[]> Policies => new()
    {
        { StaffPolicies.ManageStaff, [Role.Owner, Role.Manager] },
        { MenuPolicies.ManageMenu, [Role.Owner, Role.Manager] },
        { CustomerPolicies.ManageCustomers, [Role.Owner, Role.Manager, Role.Waiter] },
        { TablePolicies.ManageTables, [Role.Owner, Role.Manager] },
        { TablePolicies.ServeTables, [Role.Owner, Role.Manager, Role.Waiter] },
        { OrderPolicies.TakeOrders, [Role.Owner, Role.Manager, Role.Waiter] },
        { OrderPolicies.DeleteOrders, [Role.Owner, Role.Manager] },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public async Task Each_policy_admits_exactly_its_roles(string policy, Role[] admitted)
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            var caller = CallerClaims.Create(userId: 1, tenantId: 1, tokenId: 1, "Ana", role, "Bearer");

            var result = await Authorization.AuthorizeAsync(caller, policy);

            Assert.True(result.Succeeded == admitted.Contains(role), $"{policy} for {role}: {result.Succeeded}");
        }
    }

    [Fact]
    public async Task An_anonymous_caller_satisfies_no_policy()
    {
        var result = await Authorization.AuthorizeAsync(new ClaimsPrincipal(new ClaimsIdentity()), OrderPolicies.TakeOrders);

        Assert.False(result.Succeeded);
    }

    [Theory]
    [InlineData(Role.Owner, Role.Owner, true)]
    [InlineData(Role.Owner, Role.Manager, true)]
    [InlineData(Role.Manager, Role.Waiter, true)]
    [InlineData(Role.Manager, Role.Manager, true)]
    [InlineData(Role.Manager, Role.Owner, false)]
    [InlineData(Role.Waiter, Role.Kitchen, false)]
    [InlineData(Role.Kitchen, Role.Kitchen, false)]
    public void Only_owners_manage_owners_and_only_management_manages_staff(Role actor, Role subject, bool allowed)
    {
        Assert.Equal(allowed, StaffPolicies.MayManage(actor, subject));
    }
}
