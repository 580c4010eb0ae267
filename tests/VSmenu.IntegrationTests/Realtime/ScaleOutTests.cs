using System.Net;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>Two hub replicas behind one Redis behave as one server: clients connected straight to each replica.</summary>
public sealed class ScaleOutTests(TopologyFixture topology)
{
    [Fact]
    public async Task Presence_is_counted_per_user_across_replicas()
    {
        var (a, b) = await ReplicasAsync();
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var channel = $"presence-restaurant.{owner.TenantId}";
        await using var ownerOnA = await RealtimeTests.JoinPresenceAsync(topology, owner, channel, a);
        await ownerOnA.NextAsync("pusher_internal:subscription_succeeded", channel);

        await using var waiterOnB = await RealtimeTests.JoinPresenceAsync(topology, waiter, channel, b);
        var waiterJoined = PusherClient.Data(await waiterOnB.NextAsync("pusher_internal:subscription_succeeded", channel));
        var added = PusherClient.Data(await ownerOnA.NextAsync("pusher_internal:member_added", channel));
        await using var waiterOnA = await RealtimeTests.JoinPresenceAsync(topology, waiter, channel, a);
        var secondTab = PusherClient.Data(await waiterOnA.NextAsync("pusher_internal:subscription_succeeded", channel));
        await ownerOnA.AssertNothingAsync("pusher_internal:member_added");
        await waiterOnB.DisposeAsync();
        await ownerOnA.AssertNothingAsync("pusher_internal:member_removed");
        await waiterOnA.DisposeAsync();
        var removed = PusherClient.Data(await ownerOnA.NextAsync("pusher_internal:member_removed", channel));

        Assert.Equal(2, waiterJoined["presence"]!["count"]!.GetValue<int>());
        Assert.Equal(2, secondTab["presence"]!["count"]!.GetValue<int>());
        Assert.Equal(waiter.UserId.ToString(), added["user_id"]!.GetValue<string>());
        Assert.Equal(waiter.UserId.ToString(), removed["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Events_published_once_reach_subscribers_on_both_replicas_and_client_events_cross_them()
    {
        var (a, b) = await ReplicasAsync();
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(9.90m);
        var channel = $"private-orders.{owner.TenantId}";
        await using var onA = await SubscribePrivateAsync(owner, channel, a);
        await using var onB = await SubscribePrivateAsync(owner, channel, b);

        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, 2))).AssertStatus(HttpStatusCode.Created);
        var seenOnA = await onA.NextAsync("order.created", channel);
        var seenOnB = await onB.NextAsync("order.created", channel);
        await onA.SendAsync(new { @event = "client-ready", channel, data = new { order = order.Id } });
        var whisper = await onB.NextAsync("client-ready", channel);

        Assert.Equal(order.Id, PusherClient.Data(seenOnA)["order"]!["id"]!.GetValue<long>());
        Assert.Equal(order.Id, PusherClient.Data(seenOnB)["order"]!["id"]!.GetValue<long>());
        Assert.Equal(order.Id, whisper["data"]!["order"]!.GetValue<long>());
        await onA.AssertNothingAsync("order.created");
        await onA.AssertNothingAsync("client-ready");
    }

    [Fact]
    public async Task The_api_lists_the_staff_connected_to_any_replica_and_only_its_own_restaurants()
    {
        var (a, b) = await ReplicasAsync();
        using var owner = await ApiSession.RegisterAsync(topology);
        using var cook = await owner.AddStaffAsync("kitchen");
        using var stranger = await ApiSession.RegisterAsync(topology);
        var channel = $"presence-restaurant.{owner.TenantId}";
        await using var ownerOnA = await RealtimeTests.JoinPresenceAsync(topology, owner, channel, a);
        await using var cookOnB = await RealtimeTests.JoinPresenceAsync(topology, cook, channel, b);
        await using var strangerOnA = await RealtimeTests.JoinPresenceAsync(topology, stranger, $"presence-restaurant.{stranger.TenantId}", a);
        await cookOnB.NextAsync("pusher_internal:subscription_succeeded", channel);

        var online = await Eventually.ReturnsAsync(() => owner.GetAsync("/api/v1/presence/online"), response => response.Items.Count() == 2, "two online");
        var strangers = await Eventually.ReturnsAsync(() => stranger.GetAsync("/api/v1/presence/online"), response => response.Items.Count() == 1, "one online");

        Assert.Equal(
            [(owner.UserId, "owner"), (cook.UserId, "kitchen")],
            online.Items.Select(user => (user["id"]!.GetValue<long>(), user["role"]!.GetValue<string>())).OrderBy(user => user.Item2 == "kitchen"));
        Assert.Equal(stranger.UserId, strangers.Items.Single()["id"]!.GetValue<long>());
    }

    private async Task<(Uri A, Uri B)> ReplicasAsync()
    {
        var replicas = await topology.CreateReplicaClientsAsync("realtime");
        Assert.Equal(2, replicas.Count);
        var addresses = replicas.Select(replica => replica.BaseAddress!).ToArray();
        foreach (var replica in replicas)
        {
            replica.Dispose();
        }

        return (addresses[0], addresses[1]);
    }

    private async Task<PusherClient> SubscribePrivateAsync(ApiSession session, string channel, Uri replica)
    {
        var client = await PusherClient.ConnectAsync(topology, replica: replica);
        await client.SubscribeAsync(channel, (await RealtimeTests.AuthorizeAsync(session, client.SocketId, channel)).Body!["auth"]!.GetValue<string>());
        await client.NextAsync("pusher_internal:subscription_succeeded", channel);
        return client;
    }
}
