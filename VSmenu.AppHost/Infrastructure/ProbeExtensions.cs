namespace VSmenu.AppHost.Infrastructure;

public static class ProbeExtensions
{
    public const string ReadinessPath = "/health";
    public const string LivenessPath = "/alive";

    /// <summary>
    /// Readiness on <c>/health</c> (PostgreSQL and Redis answer: take traffic) and liveness on <c>/alive</c> (the process
    /// runs: do not restart it while a store is down). The orchestrator waits on them in run mode; the published
    /// manifest carries them for the platform.
    /// </summary>
#pragma warning disable ASPIREPROBES001 // Experimental in Aspire 13: probes in the manifest for Container Apps.
    public static IResourceBuilder<ProjectResource> WithHealthProbes(this IResourceBuilder<ProjectResource> service, string endpointName = "http") =>
        service
            .WithHttpProbe(ProbeType.Readiness, ReadinessPath, endpointName: endpointName)
            .WithHttpProbe(ProbeType.Liveness, LivenessPath, endpointName: endpointName);
#pragma warning restore ASPIREPROBES001
}
