namespace VSmenu.Data.Tenancy;

/// <summary>
/// The tenant the current unit of work acts for: set once per request by authentication, unset in background
/// processes, which then see no tenant's rows unless they explicitly opt out of the filter.
/// </summary>
public sealed class CurrentTenant
{
    public long? TenantId { get; private set; }

    public void Set(long tenantId)
    {
        if (TenantId is { } current && current != tenantId)
        {
            throw new InvalidOperationException($"The unit of work already acts for tenant {current}.");
        }

        TenantId = tenantId;
    }
}
