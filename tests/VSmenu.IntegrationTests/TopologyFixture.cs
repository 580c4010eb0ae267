using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VSmenu.Testing;
using VSmenu.Testing.Telemetry;

[assembly: AssemblyFixture(typeof(VSmenu.IntegrationTests.TopologyFixture))]

namespace VSmenu.IntegrationTests;

/// <summary>
/// The whole AppHost, booted once for the test assembly in the mode this machine supports (local processes
/// where no container runtime answers) and torn down, data folder included, at the end.
/// </summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    private DistributedApplication? _app;
    private OtlpReceiver? _telemetry;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The topology has not started.");

    /// <summary>What the services exported: every span and metric, as the dashboard would have received them.</summary>
    public OtlpReceiver Telemetry => _telemetry ?? throw new InvalidOperationException("The topology has not started.");

    public async ValueTask InitializeAsync()
    {
        _telemetry = await OtlpReceiver.StartAsync(TestContext.Current.CancellationToken);
        // Two replicas of each service, as behind a load balancer: limits, idempotency keys, presence, events and jobs
        // must hold across them. The payment gateway's breaker opens after 3 failures and stays open 3 s, so a
        // test sees it open and close in seconds rather than the production minute.
        _app = await VsmenuTopology.StartAsync(
            new DiagnosticLoggerProvider(),
            new Dictionary<string, string>(_telemetry.ExporterEnvironment)
            {
                ["ExternalServices__Payments__FailuresToBreak"] = "3",
                ["ExternalServices__Payments__BreakDuration"] = "00:00:03",
                // A crashed hub replica's presence members leave when its lease lapses: 6 s rather than 15.
                ["Realtime__ReplicaLease"] = "00:00:06",
                // A cap per client address that a test reaches with a hundred sockets rather than a thousand.
                ["Realtime__MaxConnectionsPerAddress"] = "50",
            },
            TestContext.Current.CancellationToken,
            "VSmenu:ApiReplicas=2", "VSmenu:RealtimeReplicas=2", "VSmenu:WorkerReplicas=2");
    }

    public HttpClient CreateHttpClient(string resourceName) => App.CreateHttpClient(resourceName, "http");

    /// <summary>The value of one of the AppHost's parameters (the Pusher app's, the platform operator's key, ...).</summary>
    public async Task<string> ParameterValueAsync(string name) =>
        await App.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(resource => resource.Name == name).GetValueAsync(TestContext.Current.CancellationToken) ?? "";

    /// <summary>
    /// One client per replica of <paramref name="resourceName"/>, each to that replica's own Kestrel address rather
    /// than the orchestrator's proxy that spreads requests over them, all from one device of their own
    /// (<c>X-Forwarded-For</c>). From 127.0.0.1 they shared the api's budget for requests without a valid token with every
    /// terminal's sign-in, and a revoked token's expected 401 came back as 429.
    /// </summary>
    public async Task<IReadOnlyList<HttpClient>> CreateReplicaClientsAsync(string resourceName)
    {
        var device = Api.ApiSession.UniqueClientAddress();
        return (await ReplicasAsync(resourceName)).Select(replica =>
        {
            var client = new HttpClient { BaseAddress = VsmenuTopology.DirectAddress(replica.Snapshot) };
            client.DefaultRequestHeaders.Add("X-Forwarded-For", device);
            return client;
        }).ToList();
    }

    /// <summary>
    /// Waits until every replica of each of <paramref name="resourceNames"/> reports itself ready on <c>/health</c>: a test that
    /// froze a dependency leaves the next one circuits that are closed again on every replica, not only on the one it asked.
    /// </summary>
    public async Task WaitUntilEveryReplicaIsReadyAsync(params string[] resourceNames)
    {
        foreach (var resourceName in resourceNames)
        {
            var replicas = await CreateReplicaClientsAsync(resourceName);
            try
            {
                await Task.WhenAll(replicas.Select(replica => Eventually.ReturnsAsync(
                    async () => (await replica.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode,
                    status => status == HttpStatusCode.OK, $"{resourceName} at {replica.BaseAddress} ready again", TimeSpan.FromSeconds(30))));
            }
            finally
            {
                foreach (var replica in replicas)
                {
                    replica.Dispose();
                }
            }
        }
    }

    /// <summary>The orchestrator's state of each running replica (instance) of <paramref name="resourceName"/>.</summary>
    public Task<IReadOnlyList<ResourceEvent>> ReplicasAsync(string resourceName) =>
        App.RunningReplicasAsync(resourceName, TestContext.Current.CancellationToken);

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

    /// <summary>Stops a resource, or one replica of it by its instance id, as the dashboard's Stop button does, and waits until it has.</summary>
    public Task StopResourceAsync(string resourceId) => App.StopAsync(resourceId, TestContext.Current.CancellationToken);

    /// <summary>Starts a stopped or killed resource (or replica) again and waits until it is healthy.</summary>
    public Task StartResourceAsync(string resourceId) => App.StartAsync(resourceId, TestContext.Current.CancellationToken);

    /// <summary>SIGKILL to one replica and its host, returning once the orchestrator has seen it end.</summary>
    public Task KillReplicaAsync(ResourceEvent replica) => App.KillAsync(replica, TestContext.Current.CancellationToken);

    /// <summary>A connection to the application database, for checking from outside what the services wrote.</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(await App.GetConnectionStringAsync("vsmenudb", TestContext.Current.CancellationToken));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    /// <summary>
    /// Holds a product's row <c>FOR NO KEY UPDATE</c> in a transaction of the test, as a stuck stock take (or a long queue
    /// of them) would: every take of that product waits until the returned hold is disposed; orders are still accepted.
    /// </summary>
    public async Task<IAsyncDisposable> HoldProductRowAsync(long productId)
    {
        var connection = await OpenDatabaseAsync();
        var holding = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using (var lockRow = new NpgsqlCommand($"SELECT id FROM products WHERE id = {productId} FOR NO KEY UPDATE", connection, holding))
        {
            await lockRow.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        return new RowHold(connection, holding);
    }

    private sealed class RowHold(NpgsqlConnection connection, NpgsqlTransaction holding) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await holding.DisposeAsync();
            await connection.DisposeAsync();
        }
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

        if (_telemetry is not null)
        {
            await _telemetry.DisposeAsync();
        }
    }
}
