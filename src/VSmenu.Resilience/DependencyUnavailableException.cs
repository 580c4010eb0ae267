namespace VSmenu.Resilience;

/// <summary>A backing store's circuit is open: the call was not made, so that nothing waits on a store known to be down.</summary>
public sealed class DependencyUnavailableException(string dependency)
    : Exception($"{dependency} is not answering; calls are refused until a probe succeeds.")
{
    public string Dependency { get; } = dependency;
}
