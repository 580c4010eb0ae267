using System.Diagnostics;
using System.Globalization;
using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VSmenu.Testing;

/// <summary>
/// Kills, stops and starts resources (or single replicas) of a running topology and waits until the orchestrator has
/// seen each change: a start issued while it still believes the killed process runs is refused, and the replica would
/// stay down for every test after.
/// </summary>
public static class ResourceControl
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(1);

    /// <summary>The orchestrator's state of each running replica (instance) of <paramref name="resourceName"/>.</summary>
    public static async Task<IReadOnlyList<ResourceEvent>> RunningReplicasAsync(this DistributedApplication app, string resourceName, CancellationToken cancellationToken)
    {
        var resource = app.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(candidate => candidate.Name == resourceName);
        var replicas = new Dictionary<string, ResourceEvent>();
        try
        {
            await WatchUntilAsync(app, update =>
            {
                if (update.Resource == resource)
                {
                    replicas[update.ResourceId] = update;
                }

                return replicas.Values.Count(IsRunningProcess) == resource.GetReplicaCount();
            }, $"all {resource.GetReplicaCount()} replicas of {resourceName} running", cancellationToken);
        }
        catch (TimeoutException timeout)
        {
            // Which one is not, and how it ended: a replica that exited by itself is not restarted under the AppHost.
            var states = replicas.Values.Select(replica => $"{replica.ResourceId} {replica.Snapshot.State?.Text ?? "unknown"}"
                + (replica.Snapshot.ExitCode is { } exitCode ? $" (exit code {exitCode})" : ""));
            throw new TimeoutException($"{timeout.Message} {string.Join("; ", states)}.", timeout);
        }

        return [.. replicas.Values];
    }

    /// <summary>The process a replica of ours runs as.</summary>
    public static int ProcessId(ResourceEvent replica) =>
        ProcessIdOrNull(replica) ?? throw new InvalidOperationException($"{replica.ResourceId} has no process.");

    /// <summary>SIGKILL to a replica's process and its host: no drain, no goodbye; returns once the orchestrator has seen it end.</summary>
    public static async Task KillAsync(this DistributedApplication app, ResourceEvent replica, CancellationToken cancellationToken)
    {
        using (var process = Process.GetProcessById(ProcessId(replica)))
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(cancellationToken);
        }

        await WaitForTerminalStateAsync(app, replica.ResourceId, cancellationToken);
    }

    /// <summary>Stops a resource or replica as the dashboard's Stop button does, and waits until it has.</summary>
    public static async Task StopAsync(this DistributedApplication app, string resourceId, CancellationToken cancellationToken)
    {
        await ExecuteAsync(app, resourceId, KnownResourceCommands.StopCommand, cancellationToken);
        await WaitForTerminalStateAsync(app, resourceId, cancellationToken);
    }

    /// <summary>
    /// Starts a stopped or killed resource (or replica) again and waits until its new process runs and, for our
    /// services, answers its own /health (the orchestrator's health status can still be the last word about the old one).
    /// </summary>
    /// <param name="app">The running topology.</param>
    /// <param name="resourceId">The resource's name, or one replica's instance id.</param>
    /// <param name="cancellationToken">Ends the wait.</param>
    /// <param name="patience">How long each step (running again, then healthy) may take; a minute unless told.</param>
    /// <exception cref="TimeoutException">It did not run again, or did not answer /health with 200, within the patience.</exception>
    public static async Task StartAsync(this DistributedApplication app, string resourceId, CancellationToken cancellationToken, TimeSpan? patience = null)
    {
        // Called once the orchestrator has seen the resource end, so any Running state with another process id is the new one.
        var before = ProcessIdOrNull(await WatchUntilAsync(app, update => Matches(update, resourceId), $"{resourceId} known", cancellationToken, patience));
        await ExecuteAsync(app, resourceId, KnownResourceCommands.StartCommand, cancellationToken);
        var started = await WatchUntilAsync(app, update =>
            Matches(update, resourceId) && update.Snapshot.State?.Text == KnownResourceStates.Running
            && ProcessIdOrNull(update) is { } pid && pid != before
            && (VsmenuTopology.DirectAddress(update.Snapshot) is not null || update.Snapshot.HealthStatus == HealthStatus.Healthy),
            $"{resourceId} running again", cancellationToken, patience);

        if (VsmenuTopology.DirectAddress(started.Snapshot) is { } address)
        {
            await WaitUntilHealthyAsync(address, resourceId, cancellationToken, patience ?? Patience);
        }
    }

    private static async Task WaitUntilHealthyAsync(Uri address, string resourceId, CancellationToken cancellationToken, TimeSpan patience)
    {
        using var probe = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience);
        using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        do
        {
            try
            {
                if ((await probe.GetAsync("/health", deadline.Token)).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The probe's own timeout, or the patience ran out (the loop then ends).
            }
        }
        while (await WaitAsync(poll, deadline.Token));

        throw new TimeoutException($"{resourceId} did not answer /health with 200 within {patience.TotalSeconds:0} s of starting.");
    }

    private static async Task<bool> WaitAsync(PeriodicTimer poll, CancellationToken cancellationToken)
    {
        try
        {
            return await poll.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private static async Task ExecuteAsync(DistributedApplication app, string resourceId, string command, CancellationToken cancellationToken)
    {
        var result = await app.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceId, command, cancellationToken);
        if (!result.Success)
        {
            throw new InvalidOperationException($"The orchestrator refused to {command} {resourceId}: {result.Message}");
        }
    }

    private static Task WaitForTerminalStateAsync(DistributedApplication app, string resourceId, CancellationToken cancellationToken) =>
        WatchUntilAsync(app, update => Matches(update, resourceId) && KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text),
            $"{resourceId} seen ended by the orchestrator", cancellationToken);

    private static async Task<ResourceEvent> WatchUntilAsync(
        DistributedApplication app, Func<ResourceEvent, bool> reached, string what, CancellationToken cancellationToken, TimeSpan? patience = null)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience ?? Patience);
        try
        {
            // The watch starts with the current state of every resource.
            await foreach (var update in app.ResourceNotifications.WatchAsync(deadline.Token))
            {
                if (reached(update))
                {
                    return update;
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
        }

        throw new TimeoutException($"Not {what} within {(patience ?? Patience).TotalSeconds:0} s.");
    }

    private static bool Matches(ResourceEvent update, string resourceId) => update.ResourceId == resourceId || update.Resource.Name == resourceId;

    private static bool IsRunningProcess(ResourceEvent replica) =>
        replica.Snapshot.State?.Text == KnownResourceStates.Running && VsmenuTopology.DirectAddress(replica.Snapshot) is not null
        && ProcessIdOrNull(replica) is not null;

    private static int? ProcessIdOrNull(ResourceEvent replica) =>
        replica.Snapshot.Properties.FirstOrDefault(property => property.Name == "executable.pid")?.Value is { } pid
            ? Convert.ToInt32(pid, CultureInfo.InvariantCulture)
            : null;
}
