using Microsoft.Extensions.DependencyInjection;
using VSmenu.Data.Tenancy;
using VSmenu.Queue.Worker;
using VSmenu.Worker.Jobs;

namespace VSmenu.UnitTests.Queue;

public sealed class JobAttemptFilterTests
{
    [Fact]
    public void An_attempt_s_scope_works_for_the_job_s_restaurant_before_its_handler_runs()
    {
        var services = new ServiceCollection()
            .AddScoped<CurrentTenant>()
            .AddScoped<IJobAttemptFilter, TenantOfJob>()
            .BuildServiceProvider();
        using var attempt = services.CreateScope();

        var prepared = JobAttemptFilters.Prepare(attempt.ServiceProvider, new JobContext("uuid", "UpdateInventory", "stock", 1, 5, null, TenantId: 42));

        Assert.Equal(42, prepared.GetRequiredService<CurrentTenant>().TenantId);
    }
}
