using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VSmenu.Testing;

[assembly: AssemblyFixture(typeof(VSmenu.IntegrationTests.TopologyFixture))]

namespace VSmenu.IntegrationTests;

/// <summary>
/// The whole AppHost, booted once for the test assembly in the mode this machine supports (local processes
/// where no container runtime answers) and torn down, data folder included, at the end.
/// </summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The topology has not started.");

    public async ValueTask InitializeAsync()
    {
        // Two replicas of each service, as behind a load balancer: limits, idempotency keys, presence, events and jobs
        // must hold across them. The payment gateway's breaker opens after 3 failures and stays open 3 s, so a
        // test sees it open and close in seconds rather than the production minute.
        _app = await VsmenuTopology.StartAsync(
            new DiagnosticLoggerProvider(),
            new Dictionary<string, string>
            {
                ["ExternalServices__Payments__FailuresToBreak"] = "3",
                ["ExternalServices__Payments__BreakDuration"] = "00:00:03",
                // A crashed hub replica's presence members leave when its lease lapses: 6 s rather than 15.
                ["Realtime__ReplicaLease"] = "00:00:06",
            },
            TestContext.Current.CancellationToken,
            "VSmenu:ApiReplicas=2", "VSmenu:RealtimeReplicas=2", "VSmenu:WorkerReplicas=2");
    }

    public HttpClient CreateHttpClient(string resourceName) => App.CreateHttpClient(resourceName, "http");

    /// <summary>
    /// One client per replica of <paramref name="resourceName"/>, each to that replica's own Kestrel address rather
    /// than the orchestrator's proxy that spreads requests over them.
    /// </summary>
    public async Task<IReadOnlyList<HttpClient>> CreateReplicaClientsAsync(string resourceName) =>
        (await ReplicasAsync(resourceName)).Select(replica => new HttpClient { BaseAddress = VsmenuTopology.DirectAddress(replica.Snapshot) }).ToList();

    /// <summary>The orchestrator's current state of each replica (instance) of <paramref name="resourceName"/>.</summary>
    public async Task<IReadOnlyList<ResourceEvent>> ReplicasAsync(string resourceName)
    {
        var resource = App.Services.GetRequiredService<DistributedApplicationModel>().Resources.Single(candidate => candidate.Name == resourceName);
        var replicas = new Dictionary<string, ResourceEvent>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        // The watch starts with the current state of every resource.
        await foreach (var update in App.ResourceNotifications.WatchAsync(deadline.Token))
        {
            if (update.Resource == resource && VsmenuTopology.DirectAddress(update.Snapshot) is not null)
            {
                replicas[update.ResourceId] = update;
                if (replicas.Count == resource.GetReplicaCount())
                {
                    break;
                }
            }
        }

        return replicas.Values.ToList();
    }

    /// <summary>
    /// The console lines of every replica of <paramref name="resourceName"/>, from its start, until one matches
    /// <paramref name="until"/> (or the patience runs out, which fails the test).
    /// </summary>
    public async Task<IReadOnlyList<string>> ReadLogsUntilAsync(string resourceName, Func<string, bool> until, TimeSpan? patience = null)
    {
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(patience ?? TimeSpan.FromSeconds(30));
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();

        async Task WatchAsync(string instance)
        {
            await foreach (var batch in logs.WatchAsync(instance).WithCancellation(deadline.Token))
            {
                foreach (var line in batch)
                {
                    lines.Enqueue(line.Content);
                    if (until(line.Content))
                    {
                        await deadline.CancelAsync();
                    }
                }
            }
        }

        try
        {
            await Task.WhenAll((await ReplicasAsync(resourceName)).Select(replica => WatchAsync(replica.ResourceId)));
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
        }

        Assert.True(lines.Any(until), $"No log line of {resourceName} matched within the patience.");
        return lines.ToList();
    }

    /// <summary>
    /// Stops a resource, or one replica of it by its instance id, through the orchestrator (as the dashboard's Stop
    /// button does) and waits until it has.
    /// </summary>
    public async Task StopResourceAsync(string resourceId)
    {
        await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceId, KnownResourceCommands.StopCommand, TestContext.Current.CancellationToken);
        await WaitForAsync(resourceId, update => KnownResourceStates.TerminalStates.Contains(update.Snapshot.State?.Text));
    }

    /// <summary>Starts a stopped resource (or replica) again and waits until it is healthy.</summary>
    public async Task StartResourceAsync(string resourceId)
    {
        await App.Services.GetRequiredService<ResourceCommandService>().ExecuteCommandAsync(resourceId, KnownResourceCommands.StartCommand, TestContext.Current.CancellationToken);
        // Running after having been seen down (the process started now), then, for our services, answering their own
        // /health: the orchestrator's health status can still be the last word about the process before it.
        var seenDown = false;
        var started = await WaitForAsync(resourceId, update =>
        {
            seenDown |= update.Snapshot.State?.Text != KnownResourceStates.Running;
            return seenDown && update.Snapshot.State?.Text == KnownResourceStates.Running
                && (VsmenuTopology.DirectAddress(update.Snapshot) is not null || update.Snapshot.HealthStatus == Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy);
        });
        if (VsmenuTopology.DirectAddress(started.Snapshot) is not { } address)
        {
            return;
        }

        using var probe = new HttpClient { BaseAddress = address };
        await Eventually.ReturnsAsync(
            async () =>
            {
                try
                {
                    return (await probe.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode;
                }
                catch (HttpRequestException)
                {
                    return System.Net.HttpStatusCode.ServiceUnavailable;
                }
            },
            status => status == System.Net.HttpStatusCode.OK, $"{resourceId} healthy", TimeSpan.FromMinutes(1));
    }

    private async Task<ResourceEvent> WaitForAsync(string resourceId, Func<ResourceEvent, bool> reached)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(1));
        await foreach (var update in App.ResourceNotifications.WatchAsync(deadline.Token))
        {
            if ((update.ResourceId == resourceId || update.Resource.Name == resourceId) && reached(update))
            {
                return update;
            }
        }

        throw new OperationCanceledException($"{resourceId} did not reach the state in time.");
    }

    /// <summary>A connection to the application database, for checking from outside what the services wrote.</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(await App.GetConnectionStringAsync("vsmenudb", TestContext.Current.CancellationToken));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>The single value <paramref name="sql"/> selects, such as a count.</summary>
    public async Task<T> QueryScalarAsync<T>(string sql)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
