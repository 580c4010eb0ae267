using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using VSmenu.Api.Customers;
using VSmenu.Api.FailedJobs;
using VSmenu.Api.Menu;
using VSmenu.Api.Orders;
using VSmenu.Api.Reports;
using VSmenu.Api.Tables;
using VSmenu.Api.Users;
using VSmenu.Data.Users;

namespace VSmenu.Api.Auth;

public static class AuthExtensions
{
    /// <summary>
    /// Adds bearer personal-access-token authentication (with each replica's token cache and its evictions through
    /// Redis), password hashing with Identity's
    /// <see cref="PasswordHasher{TUser}"/> a few at a time (<see cref="PasswordHashing"/>), and every feature's authorization policies.
    /// </summary>
    public static WebApplicationBuilder AddVsmenuAuth(this WebApplicationBuilder builder)
    {
        builder.Services.Configure<PersonalAccessTokenOptions>(builder.Configuration.GetSection("Auth"));
        builder.Services.AddSingleton<IPasswordHasher<User>, PasswordHasher<User>>();
        builder.Services.AddSingleton<PasswordHashing>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<TokenCache>();
        builder.Services.AddSingleton<TokenRevocations>();
        builder.Services.AddHostedService(services => services.GetRequiredService<TokenRevocations>());
        builder.Services.AddAuthentication(TokenAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, TokenAuthenticationHandler>(TokenAuthenticationHandler.SchemeName, configureOptions: null);
        builder.Services.AddAuthorizationBuilder().AddVsmenuPolicies();
        return builder;
    }

    public static AuthorizationBuilder AddVsmenuPolicies(this AuthorizationBuilder authorization) => authorization
        .AddStaffPolicies()
        .AddMenuPolicies()
        .AddCustomerPolicies()
        .AddTablePolicies()
        .AddOrderPolicies()
        .AddReportPolicies()
        .AddFailedJobPolicies();
}
