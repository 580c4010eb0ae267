namespace VSmenu.AppHost.Infrastructure;

/// <summary>How Redis and PostgreSQL run: as containers, or as processes from the machine's own binaries.</summary>
public enum InfrastructureMode
{
    Containers,
    Local,
}

/// <summary>The mode chosen, and the sentence the AppHost logs to say why.</summary>
public sealed record InfrastructureChoice(InfrastructureMode Mode, string Reason);

/// <summary>What a probe of the container runtime found.</summary>
public sealed record ContainerRuntimeStatus(bool IsAvailable, string Detail);

/// <summary>
/// Turns the <c>VSmenu:Infrastructure</c> setting (<c>auto</c>, <c>containers</c>, <c>local</c>) into a mode.
/// Publishing always describes containers: a deployment target has no local binaries to run.
/// </summary>
public static class InfrastructureModeSelector
{
    public const string SettingName = "VSmenu:Infrastructure";

    public static InfrastructureChoice Select(string? setting, bool isPublishMode, Func<ContainerRuntimeStatus> probeContainerRuntime)
    {
        if (isPublishMode)
        {
            return new(InfrastructureMode.Containers, "publishing always uses containers");
        }

        switch (setting?.Trim().ToLowerInvariant())
        {
            case "containers":
                return new(InfrastructureMode.Containers, $"{SettingName}=containers");
            case "local":
                return new(InfrastructureMode.Local, $"{SettingName}=local");
            case null or "" or "auto":
                var runtime = probeContainerRuntime();
                return runtime.IsAvailable
                    ? new(InfrastructureMode.Containers, $"auto: a container runtime answered ({runtime.Detail})")
                    : new(InfrastructureMode.Local, $"auto: no container runtime answered ({runtime.Detail})");
            default:
                throw new InfrastructureUnavailableException(
                    $"{SettingName} is '{setting}'; use 'auto', 'containers' or 'local'.");
        }
    }
}
