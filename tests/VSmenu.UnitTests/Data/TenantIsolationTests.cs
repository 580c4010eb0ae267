using Microsoft.EntityFrameworkCore;
using VSmenu.Data;
using VSmenu.Data.Menu;
using VSmenu.Data.Tenancy;

namespace VSmenu.UnitTests.Data;

/// <summary>The tenant check, without a database: the context is built but never connects.</summary>
public sealed class TenantIsolationTests
{
    private static VsmenuDbContext Context(CurrentTenant tenant) =>
        new VsmenuDbContext(new DbContextOptionsBuilder<VsmenuDbContext>().UseNpgsql("Host=unused").UseSnakeCaseNamingConvention().Options)
            .ActingFor(tenant);

    [Fact]
    public void Every_tenant_owned_entity_is_filtered_by_tenant()
    {
        using var db = Context(new CurrentTenant());

        var owned = db.Model.GetEntityTypes().Where(entity => typeof(ITenantOwned).IsAssignableFrom(entity.ClrType)).ToList();

        Assert.NotEmpty(owned);
        Assert.All(owned, entity => Assert.NotEmpty(entity.GetDeclaredQueryFilters()));
    }

    [Fact]
    public void Every_tenant_owned_query_carries_the_tenant_predicate()
    {
        var tenant = new CurrentTenant();
        tenant.Set(7);
        using var db = Context(tenant);

        var sql = db.Products.Where(product => product.Name == "x").ToQueryString();

        var where = sql[sql.IndexOf("WHERE", StringComparison.Ordinal)..];
        Assert.Matches(@"p\.tenant_id = @\w+", where);
        Assert.Contains("'7'", sql, StringComparison.Ordinal);
    }

    [Fact]
    public void New_records_take_the_current_tenant()
    {
        using var db = Context(TenantOf(7));
        var category = new Category { Name = "Pizzas" };
        db.Categories.Add(category);

        TenantGuard.Apply(db.ChangeTracker.Entries(), 7);

        Assert.Equal(7, category.TenantId);
    }

    [Fact]
    public void A_record_of_another_tenant_is_never_written()
    {
        using var db = Context(TenantOf(7));
        db.Categories.Add(new Category { Name = "Intruder", TenantId = 8 });

        Assert.Throws<InvalidOperationException>(() => TenantGuard.Apply(db.ChangeTracker.Entries(), 7));
    }

    [Fact]
    public void A_change_to_another_tenant_s_record_is_refused()
    {
        using var db = Context(TenantOf(7));
        var foreign = new Category { Id = 1, Name = "Theirs", TenantId = 8 };
        db.Categories.Attach(foreign);
        foreign.Name = "Mine now";
        db.ChangeTracker.DetectChanges();

        Assert.Throws<InvalidOperationException>(() => TenantGuard.Apply(db.ChangeTracker.Entries(), 7));
    }

    [Fact]
    public void Without_a_tenant_a_new_record_must_name_its_own()
    {
        using var db = Context(new CurrentTenant());
        db.Categories.Add(new Category { Name = "Orphan" });

        Assert.Throws<InvalidOperationException>(() => TenantGuard.Apply(db.ChangeTracker.Entries(), null));
    }

    [Fact]
    public void A_unit_of_work_cannot_switch_tenants()
    {
        var tenant = TenantOf(7);

        tenant.Set(7);
        Assert.Throws<InvalidOperationException>(() => tenant.Set(8));
    }

    private static CurrentTenant TenantOf(long id)
    {
        var tenant = new CurrentTenant();
        tenant.Set(id);
        return tenant;
    }
}
