using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>One socket cannot make the hub or Redis grow with junk channel names, nor one address hold every connection.</summary>
public sealed class HubLimitTests(TopologyFixture topology)
{
    /// <summary>The test topology's <c>Realtime:MaxConnectionsPerAddress</c> (TopologyFixture), per hub replica.</summary>
    private const int ConnectionsPerAddress = 50;

    /// <summary>The hub's default <c>Realtime:MaxSubscriptionsPerConnection</c>.</summary>
    private const int Limit = 100;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_connection_subscribes_to_at_most_its_limit_and_channels_left_leave_no_counter_in_redis()
    {
        var junk = Enumerable.Range(0, Limit + 1).Select(i => $"junk-{Guid.NewGuid():N}-{i}").ToList();
        await using var client = await PusherClient.ConnectAsync(topology);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? "");

        foreach (var channel in junk[..Limit])
        {
            await client.SubscribeAsync(channel);
            await client.NextAsync("pusher_internal:subscription_succeeded", channel);
        }

        await client.SubscribeAsync(junk[Limit]);
        var refused = await client.NextAsync("pusher:subscription_error", junk[Limit]);
        await Eventually.ReturnsAsync(() => CountedAsync(redis, junk), counted => counted == Limit, "every subscription counted");

        foreach (var channel in junk[..Limit])
        {
            await client.SendAsync(new { @event = "pusher:unsubscribe", data = new { channel } });
        }

        Assert.Equal("LimitReached", PusherClient.Data(refused)["type"]!.GetValue<string>());
        await Eventually.ReturnsAsync(() => CountedAsync(redis, junk), counted => counted == 0, "no counter left for the channels once left");
    }

    [Fact]
    public async Task One_address_gets_at_most_its_cap_of_connections_per_replica_while_others_connect_and_a_closed_one_frees_its_place()
    {
        var crowded = Api.ApiSession.UniqueClientAddress();
        var clients = new List<PusherClient>();
        try
        {
            // Two replicas behind the proxy: of twice the cap and one more, some replica gets more than its cap.
            var refusals = 0;
            for (var i = 0; i < (2 * ConnectionsPerAddress) + 1; i++)
            {
                var client = await PusherClient.ConnectAsync(topology, expectHandshake: false, clientAddress: crowded);
                clients.Add(client);
                var first = await client.NextAsync(name => name is "pusher:connection_established" or "pusher:error");
                if (first["event"]!.GetValue<string>() == "pusher:error")
                {
                    Assert.Equal(4100, PusherClient.Data(first)["code"]!.GetValue<int>());
                    refusals++;
                }
            }

            await using var neighbour = await PusherClient.ConnectAsync(topology);

            Assert.InRange(refusals, 1, ConnectionsPerAddress + 1);
            Assert.NotEmpty(neighbour.SocketId);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await Eventually.ReturnsAsync(
            async () =>
            {
                await using var again = await PusherClient.ConnectAsync(topology, expectHandshake: false, clientAddress: crowded);
                return (await again.NextAsync(name => name is "pusher:connection_established" or "pusher:error"))["event"]!.GetValue<string>();
            },
            first => first == "pusher:connection_established", "a place for the address once its connections closed");
    }

    /// <summary>How many of <paramref name="channels"/> have a subscription counter on any hub replica.</summary>
    private static async Task<int> CountedAsync(ConnectionMultiplexer redis, IReadOnlyList<string> channels)
    {
        var counted = 0;
        var server = redis.GetServers()[0];
        await foreach (var key in server.KeysAsync(pattern: "vsmenu:rt:*:subs"))
        {
            foreach (var channel in channels)
            {
                counted += await redis.GetDatabase().HashExistsAsync(key, channel) ? 1 : 0;
            }
        }

        return counted;
    }
}
