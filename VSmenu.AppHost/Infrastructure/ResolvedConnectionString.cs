namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// A resource's connection string, captured when the orchestrator resolves it (ports are only known then),
/// for the health checks and start-up work that run afterwards.
/// </summary>
internal sealed class ResolvedConnectionString
{
    private readonly string _resourceName;
    private string? _value;

    private ResolvedConnectionString(string resourceName) => _resourceName = resourceName;

    public string Value => _value ?? throw new InvalidOperationException($"The connection string of '{_resourceName}' is not available yet.");

    public static ResolvedConnectionString Capture<TResource>(IDistributedApplicationBuilder builder, TResource resource)
        where TResource : IResourceWithConnectionString
    {
        var captured = new ResolvedConnectionString(resource.Name);
        builder.Eventing.Subscribe<ConnectionStringAvailableEvent>(resource, async (_, cancellationToken) =>
            captured._value = await resource.ConnectionStringExpression.GetValueAsync(cancellationToken));
        return captured;
    }
}
