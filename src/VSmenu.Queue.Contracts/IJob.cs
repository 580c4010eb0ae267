namespace VSmenu.Queue;

/// <summary>
/// A unit of background work: a serializable record of what to do. Its <see cref="JobAttribute"/> names it on the wire
/// and sets its queue, tries, timeout and backoff; the queue worker's <c>IJobHandler</c> of it does it.
/// </summary>
public interface IJob;

/// <summary>A job done for one restaurant: when it fails for good, that restaurant's owner sees it and may retry it.</summary>
public interface ITenantJob : IJob
{
    long TenantId { get; }
}

/// <summary>
/// A job about one record, such as an order: the record names the job's span (<c>job UpdateInventory #1201</c>) and is
/// one of its attributes, so the record's work is found on the dashboard. Implement it explicitly: a job's public
/// properties are its data on the wire, and this is not data.
/// </summary>
public interface IRecordJob : IJob
{
    /// <summary>The span attribute the record's id goes under, and the id: <c>("vsmenu.order.id", 1201)</c>.</summary>
    (string Attribute, long Id) Record { get; }
}

/// <summary>The attributes every VSmenu span shares with ServiceDefaults' <c>VsmenuTelemetry</c>, for the code that cannot see it.</summary>
public static class JobSpanAttributes
{
    /// <summary>The restaurant a span worked for.</summary>
    public const string Tenant = "vsmenu.tenant.id";
}
