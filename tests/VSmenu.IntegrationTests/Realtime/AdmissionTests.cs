using System.Net.WebSockets;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using StackExchange.Redis;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>
/// The app's switches in Redis (<c>vsmenu:rt:app</c>), as Pusher's dashboard has them: disabling the app refuses
/// connections with 4003, a connection quota over all replicas with 4004. They turn every client away, so these tests
/// run alone, with the other outage tests.
/// </summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class AdmissionTests(TopologyFixture topology)
{
    private const string AppKey = "vsmenu:rt:app";

    [Fact]
    public async Task A_disabled_app_refuses_new_connections_with_4003_until_it_is_enabled_again()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken) ?? "");
        var replica = (await topology.ReplicasAsync("realtime"))[0];
        var address = VSmenu.Testing.VsmenuTopology.DirectAddress(replica.Snapshot)!;
        try
        {
            await redis.GetDatabase().HashSetAsync(AppKey, "enabled", 0);
            var (error, status) = await Eventually.ReturnsAsync(() => RefusalAsync(address), refusal => refusal.Error is not null, "a refusal");

            Assert.Equal((4003, "Application is disabled"), (error!["code"]!.GetValue<int>(), error["message"]!.GetValue<string>()));
            Assert.Equal((WebSocketCloseStatus)4003, status);
        }
        finally
        {
            await ReopenAsync(redis);
        }
    }

    [Fact]
    public async Task An_app_at_its_connection_quota_refuses_one_more_with_4004()
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken) ?? "");
        var replica = (await topology.ReplicasAsync("realtime"))[0];
        var address = VSmenu.Testing.VsmenuTopology.DirectAddress(replica.Snapshot)!;
        await using var first = await PusherClient.ConnectAsync(topology, replica: address);
        try
        {
            await redis.GetDatabase().HashSetAsync(AppKey, "connection_quota", 1);
            var (error, status) = await Eventually.ReturnsAsync(() => RefusalAsync(address), refusal => refusal.Error is not null, "a refusal");

            Assert.Equal((4004, "Application is over connection quota"), (error!["code"]!.GetValue<int>(), error["message"]!.GetValue<string>()));
            Assert.Equal((WebSocketCloseStatus)4004, status);
            await first.SendAsync(new { @event = "pusher:ping", data = new { } });
            await first.NextAsync("pusher:pong");
        }
        finally
        {
            await ReopenAsync(redis);
        }
    }

    /// <summary>Removes the switches and waits until every replica, at its next lease renewal, admits clients again.</summary>
    private async Task ReopenAsync(IConnectionMultiplexer redis)
    {
        await redis.GetDatabase().KeyDeleteAsync(AppKey);
        foreach (var replica in await topology.ReplicasAsync("realtime"))
        {
            var address = VSmenu.Testing.VsmenuTopology.DirectAddress(replica.Snapshot)!;
            await Eventually.ReturnsAsync(() => RefusalAsync(address), refusal => refusal.Error is null, $"{address} admitting again");
        }
    }

    /// <summary>Connects once: the error and close status if refused, nothing if welcomed.</summary>
    private async Task<(JsonNode? Error, WebSocketCloseStatus? Status)> RefusalAsync(Uri replica)
    {
        await using var client = await PusherClient.ConnectAsync(topology, expectHandshake: false, replica: replica);
        var first = await client.NextAsync(frame => frame is "pusher:connection_established" or "pusher:error");
        if (first["event"]!.GetValue<string>() == "pusher:connection_established")
        {
            return (null, null);
        }

        await client.WaitForCloseAsync();
        return (PusherClient.Data(first), client.CloseStatus);
    }
}
