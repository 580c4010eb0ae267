using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using VSmenu.Data;
using VSmenu.Data.Tenancy;

namespace VSmenu.UnitTests.Data;

/// <summary>The context as services get it, leased from EF's pool: built but never connected.</summary>
public sealed class PooledContextTests
{
    [Fact]
    public void A_scope_s_context_acts_for_the_scope_s_tenant_and_a_later_lease_of_the_same_instance_for_its_own()
    {
        using var services = Services();
        VsmenuDbContext first;
        using (var scope = services.CreateScope())
        {
            first = ContextOf(scope, tenant: 7);
            Assert.Contains("'7'", first.Products.ToQueryString(), StringComparison.Ordinal);
        }

        using (var scope = services.CreateScope())
        {
            var second = ContextOf(scope, tenant: 8);

            Assert.Same(first, second);
            var sql = second.Products.ToQueryString();
            Assert.Contains("'8'", sql, StringComparison.Ordinal);
            Assert.DoesNotContain("'7'", sql, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_context_back_from_the_pool_acts_for_no_tenant_until_a_scope_gives_it_one()
    {
        using var services = Services();
        using (var scope = services.CreateScope())
        {
            ContextOf(scope, tenant: 7);
        }

        using var unscoped = services.GetRequiredService<IDbContextFactory<VsmenuDbContext>>().CreateDbContext();

        Assert.DoesNotContain("'7'", unscoped.Products.ToQueryString(), StringComparison.Ordinal);
    }

    [Fact]
    public void What_a_unit_of_work_left_unsaved_is_not_saved_by_the_next_lease()
    {
        using var services = Services();
        using (var scope = services.CreateScope())
        {
            var abandoned = ContextOf(scope, tenant: 7);
            abandoned.BroadcastOnSave(() => throw new InvalidOperationException("A broadcast of an earlier lease was described."), socketId: null);
            abandoned.DispatchOnSave(() => throw new InvalidOperationException("A job of an earlier lease was described."));
        }

        using (var scope = services.CreateScope())
        {
            Assert.Equal(0, ContextOf(scope, tenant: 7).SaveChanges());
        }
    }

    private static VsmenuDbContext ContextOf(IServiceScope scope, long tenant)
    {
        scope.ServiceProvider.GetRequiredService<CurrentTenant>().Set(tenant);
        return scope.ServiceProvider.GetRequiredService<VsmenuDbContext>();
    }

    private static ServiceProvider Services()
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration[$"ConnectionStrings:{VsmenuDataExtensions.DatabaseResourceName}"] = "Host=127.0.0.1;Port=1;Database=unused";
        builder.Services.AddSingleton(TimeProvider.System);
        builder.AddVsmenuData();
        return builder.Services.BuildServiceProvider();
    }
}
