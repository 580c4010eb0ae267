using System.Net;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Npgsql;
using StackExchange.Redis;

namespace VSmenu.IntegrationTests;

/// <summary>What the services did to the real PostgreSQL and Redis, checked from outside through their connection strings.</summary>
public sealed class BackingStoreTests(TopologyFixture topology)
{
    [Fact]
    public async Task Migrations_exited_zero_after_applying_the_initial_schema()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        Assert.True(topology.App.ResourceNotifications.TryGetCurrentState("migrations", out var migrations));
        Assert.Equal(KnownResourceStates.Finished, migrations.Snapshot.State?.Text);
        Assert.Equal(0, migrations.Snapshot.ExitCode);

        await using var connection = new NpgsqlConnection(await topology.App.GetConnectionStringAsync("vsmenudb", cancellationToken));
        await connection.OpenAsync(cancellationToken);
        await using var history = new NpgsqlCommand("SELECT migration_id FROM \"__EFMigrationsHistory\"", connection);
        var applied = new List<string>();
        await using (var reader = await history.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetString(0));
            }
        }
        await using var tenants = new NpgsqlCommand("SELECT to_regclass('public.tenants') IS NOT NULL", connection);

        Assert.Contains(applied, id => id.EndsWith("_InitialCreate", StringComparison.Ordinal));
        Assert.True((bool)(await tenants.ExecuteScalarAsync(cancellationToken))!);
    }

    [Theory]
    [InlineData("api", "VSmenu.Api")]
    [InlineData("worker", "VSmenu.Worker")]
    [InlineData("realtime", "VSmenu.Realtime")]
    public async Task Service_writes_its_heartbeat_to_redis_when_probed(string service, string applicationName)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", cancellationToken) ?? "");
        var key = $"vsmenu:health:{applicationName}";
        await redis.GetDatabase().KeyDeleteAsync(key);
        using var http = topology.CreateHttpClient(service);

        // A service probed first under the suite's load may spend its first checks compiling and answer 503 once (a worker's
        // schema check took 3.1 s of its 2 s on CI); what is tested is that a probe that passes writes the heartbeat.
        await Eventually.ReturnsAsync(async () => (await http.GetAsync("/health", cancellationToken)).StatusCode, status => status == HttpStatusCode.OK, $"{service} healthy");

        var heartbeat = await redis.GetDatabase().StringGetAsync(key);
        Assert.True(heartbeat.HasValue, $"{service} did not write {key}");
        Assert.InRange(DateTimeOffset.Parse(heartbeat.ToString()), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }
}
