using System.Globalization;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>Kills one realtime replica outright, so it runs with the other outage tests, alone.</summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class ReplicaCrashTests(TopologyFixture topology)
{
    [Fact]
    public async Task A_killed_replicas_presence_members_leave_once_its_lease_lapses_and_the_other_replica_announces_it()
    {
        var replicas = await topology.ReplicasAsync("realtime");
        var (crashing, surviving) = (replicas[0], replicas[1]);
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var channel = $"presence-restaurant.{owner.TenantId}";
        await using var ownerOnSurvivor = await RealtimeTests.JoinPresenceAsync(topology, owner, channel, VSmenu.Testing.VsmenuTopology.DirectAddress(surviving.Snapshot)!);
        await ownerOnSurvivor.NextAsync("pusher_internal:subscription_succeeded", channel);
        await using var waiterOnCrashing = await RealtimeTests.JoinPresenceAsync(topology, waiter, channel, VSmenu.Testing.VsmenuTopology.DirectAddress(crashing.Snapshot)!);
        await waiterOnCrashing.NextAsync("pusher_internal:subscription_succeeded", channel);
        await ownerOnSurvivor.NextAsync("pusher_internal:member_added", channel);

        // No drain, no resignation: its members stay in Redis.
        await topology.KillReplicaAsync(crashing);

        try
        {
            var removed = PusherClient.Data(await ownerOnSurvivor.NextAsync("pusher_internal:member_removed", channel, TimeSpan.FromSeconds(30)));
            var online = await Eventually.ReturnsAsync(() => owner.GetAsync("/api/v1/presence/online"), response => response.Items.Count() == 1, "only the owner online");

            Assert.Equal(waiter.UserId.ToString(CultureInfo.InvariantCulture), removed["user_id"]!.GetValue<string>());
            Assert.Equal(owner.UserId, online.Items.Single()["id"]!.GetValue<long>());
            await ownerOnSurvivor.AssertNothingAsync("pusher_internal:member_removed");
        }
        finally
        {
            await topology.StartResourceAsync(crashing.ResourceId);
        }
    }
}
