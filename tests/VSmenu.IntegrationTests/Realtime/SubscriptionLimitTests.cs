using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>One socket cannot make the hub or Redis grow with junk channel names.</summary>
public sealed class SubscriptionLimitTests(TopologyFixture topology)
{
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
