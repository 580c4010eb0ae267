using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace VSmenu.Testing;

/// <summary>
/// Boots the real AppHost (every service, Redis and PostgreSQL) with throw-away data, and waits until each
/// resource is healthy, or, for one-shot resources such as <c>migrations</c>, has exited with code 0.
/// </summary>
public static class VsmenuTopology
{
    /// <summary>
    /// The harness stands in for the edge: each simulated tablet names its own address in <c>X-Forwarded-For</c> from
    /// loopback, so here, and only here, the api trusts forwarding headers from loopback (a deployment names its proxies).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> HarnessIsTheEdge = new Dictionary<string, string>
    {
        ["ForwardedHeaders__KnownNetworks__0"] = "127.0.0.0/8",
        ["ForwardedHeaders__KnownProxies__0"] = "::1",
    };

    /// <summary>Resources that run to completion rather than stay up.</summary>
    public static readonly IReadOnlySet<string> OneShotResources = new HashSet<string> { "migrations" };

    /// <summary>
    /// How long the whole topology may take to be ready before the start is called hung: a topology started beside another
    /// test's load on 2 cores took 2 min 13 s (40 s alone), so the bound allows for a machine that is busy.
    /// </summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The AppHost's launch profile (<c>Properties/launchSettings.json</c>): the dashboard's UI, OTLP and resource service.</summary>
    private static readonly Dictionary<string, string> DashboardSettings = new()
    {
        ["ASPNETCORE_URLS"] = "http://localhost:15100",
        ["ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL"] = "http://localhost:19100",
        ["ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL"] = "http://localhost:20100",
        ["ASPIRE_ALLOW_UNSECURED_TRANSPORT"] = "true",
    };

    public static Task<DistributedApplication> StartAsync(
        ILoggerProvider? resourceLogs, CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(resourceLogs, serviceEnvironment: new Dictionary<string, string>(), cancellationToken, settings);

    /// <summary>
    /// Starts the topology with <paramref name="serviceEnvironment"/> added to every service's environment (each reads
    /// the settings of its own sections: <c>RateLimiting__…</c> the api's, <c>ExternalServices__…</c> the worker's).
    /// </summary>
    public static Task<DistributedApplication> StartAsync(
        ILoggerProvider? resourceLogs, IReadOnlyDictionary<string, string> serviceEnvironment, CancellationToken cancellationToken, params string[] settings) =>
        StartAsync(resourceLogs, serviceEnvironment, onResourceEvent: null, dashboard: false, cancellationToken, settings);

    /// <summary>
    /// As above, and passes <paramref name="onResourceEvent"/> every state change of every resource from before it starts;
    /// with <paramref name="dashboard"/>, the Aspire dashboard runs too (on the AppHost's own ports, so not beside a running
    /// <c>dotnet run</c>) and every service exports its telemetry to it, as <c>dotnet run</c> of the AppHost does.
    /// </summary>
    public static async Task<DistributedApplication> StartAsync(
        ILoggerProvider? resourceLogs, IReadOnlyDictionary<string, string> serviceEnvironment, Action<ResourceEvent>? onResourceEvent,
        bool dashboard, CancellationToken cancellationToken, params string[] settings)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(StartTimeout);

        string[] dashboardSettings = dashboard ? [.. DashboardSettings.Select(setting => $"{setting.Key}={setting.Value}")] : [];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VSmenu_AppHost>(
            ["VSmenu:EphemeralData=true", .. dashboardSettings, .. settings],
            (options, _) => options.DisableDashboard = !dashboard,
            deadline.Token);
        foreach (var project in builder.Resources.OfType<ProjectResource>())
        {
            var service = builder.CreateResourceBuilder(project);
            if (!dashboard)
            {
                // Without a dashboard every service still points at its OTLP address; with Aspire's in-memory export
                // retry each process then spends ~10 s at exit retrying a collector that is not there.
                service.WithEnvironment("OTEL_EXPORTER_OTLP_ENDPOINT", "");
            }

            foreach (var (name, value) in HarnessIsTheEdge.Concat(serviceEnvironment))
            {
                service.WithEnvironment(name, value);
            }
        }

        builder.Services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddFilter("Aspire.Hosting.Dcp", LogLevel.Warning);
            // Probes fail by design while resources start and stop; a timeout names the checks that never passed.
            logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.Critical);
            if (resourceLogs is not null)
            {
                logging.AddProvider(resourceLogs);
                // They go where the caller said; on this console too they would only load the measuring process.
                logging.AddFilter<Microsoft.Extensions.Logging.Console.ConsoleLoggerProvider>("VSmenu.AppHost.Resources", LogLevel.Warning);
            }
            else
            {
                // Nobody reads the services' console lines here (benchmarks): echoing them would load the measuring process.
                logging.AddFilter("VSmenu.AppHost.Resources", LogLevel.Warning);
            }
        });

        var app = await builder.BuildAsync(deadline.Token);
        // The latest state of every replica, kept from before the start so that a start that times out can say which is late.
        var replicas = new ConcurrentDictionary<string, ResourceEvent>();
        var stopping = app.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping;
        _ = Task.Run(async () =>
        {
            await foreach (var resourceEvent in app.ResourceNotifications.WatchAsync(stopping))
            {
                replicas[resourceEvent.ResourceId] = resourceEvent;
                onResourceEvent?.Invoke(resourceEvent);
            }
        }, CancellationToken.None);

        try
        {
            await app.StartAsync(deadline.Token);
            await WaitUntilReadyAsync(app, deadline.Token);
            return app;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // Aspire's own start waits for resources too (those that others wait for): either wait can be the one that expires.
            var late = TopologyResources(app).SelectMany(resource => replicas.Values.Where(replica => replica.Resource == resource).ToList() switch
            {
                [] => [$"{resource.Name} has not been created"],
                var instances => instances.Where(replica => !IsReady(replica)).Select(Describe),
            }).ToList();
            await app.DisposeAsync();
            throw new TimeoutException($"The topology was not ready within {StartTimeout.TotalSeconds:0} s: {string.Join("; ", late)}");
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The address a project's own Kestrel listens on (its <c>ASPNETCORE_URLS</c>), not the orchestrator's proxy in
    /// front of it, which spreads requests over replicas and would be measured too; null before it has started.
    /// </summary>
    public static Uri? DirectAddress(CustomResourceSnapshot snapshot) =>
        snapshot.EnvironmentVariables.FirstOrDefault(variable => variable.Name == "ASPNETCORE_URLS")?.Value is { } urls
            ? new Uri(urls.Split(';')[0].Replace("localhost", "127.0.0.1", StringComparison.Ordinal))
            : null;

    /// <summary>Resources that start only on request (Aspire's per-project "-rebuilder" helpers) are not part of the topology.</summary>
    private static IEnumerable<IResource> TopologyResources(DistributedApplication app) =>
        app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Where(resource => !resource.HasAnnotationOfType<ExplicitStartupAnnotation>());

    private static Task WaitUntilReadyAsync(DistributedApplication app, CancellationToken cancellationToken) =>
        Task.WhenAll(TopologyResources(app).Select(resource => OneShotResources.Contains(resource.Name)
            ? WaitForSuccessfulExitAsync(app, resource.Name, cancellationToken)
            : app.ResourceNotifications.WaitForResourceHealthyAsync(resource.Name, cancellationToken)));

    private static bool IsReady(ResourceEvent replica) => OneShotResources.Contains(replica.Resource.Name)
        ? replica.Snapshot.ExitCode is 0
        : replica.Snapshot.HealthStatus is HealthStatus.Healthy;

    private static string Describe(ResourceEvent replica) =>
        $"{replica.ResourceId} is {replica.Snapshot.State?.Text ?? "unknown"}, health {replica.Snapshot.HealthStatus?.ToString() ?? "unknown"}"
        + string.Concat(replica.Snapshot.HealthReports.Where(report => report.Status is not HealthStatus.Healthy)
            .Select(report => $" ({report.Name}: {report.Status} {report.Description ?? report.ExceptionText})"));

    private static async Task WaitForSuccessfulExitAsync(DistributedApplication app, string name, CancellationToken cancellationToken)
    {
        var finished = await app.ResourceNotifications.WaitForResourceAsync(
            name,
            @event => KnownResourceStates.TerminalStates.Contains(@event.Snapshot.State?.Text),
            cancellationToken);

        if (finished.Snapshot.ExitCode is not 0)
        {
            throw new InvalidOperationException(
                $"Resource '{name}' ended in state {finished.Snapshot.State?.Text} with exit code {finished.Snapshot.ExitCode?.ToString() ?? "none"}.");
        }
    }
}
