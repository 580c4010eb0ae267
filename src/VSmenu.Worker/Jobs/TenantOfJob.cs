using VSmenu.Data.Tenancy;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Jobs;

/// <summary>
/// Sets the restaurant a tenant job works for on the attempt's scoped services (the DbContext's tenant filter and
/// guard), once per attempt, from the job's context: no handler can forget it.
/// </summary>
internal sealed class TenantOfJob(CurrentTenant tenant) : IJobAttemptFilter
{
    public void OnAttempt(JobContext context)
    {
        if (context.TenantId is { } tenantId)
        {
            tenant.Set(tenantId);
        }
    }
}
