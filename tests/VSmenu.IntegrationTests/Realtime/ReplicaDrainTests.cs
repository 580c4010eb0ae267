using System.Collections.Concurrent;
using System.Net.WebSockets;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>Stops one realtime replica, so it runs with the other outage tests, alone.</summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class ReplicaDrainTests(TopologyFixture topology)
{
    [Fact]
    public async Task A_stopping_replica_tells_its_clients_to_reconnect_and_they_land_on_the_other()
    {
        var replicas = await topology.ReplicasAsync("realtime");
        var stopping = replicas[0];
        var address = VSmenu.Testing.VsmenuTopology.DirectAddress(stopping.Snapshot)!;
        await using var client = await PusherClient.ConnectAsync(topology, replica: address);

        await topology.StopResourceAsync(stopping.ResourceId);
        try
        {
            var error = PusherClient.Data(await client.NextAsync("pusher:error"));
            await client.WaitForCloseAsync();
            await using var reconnected = await PusherClient.ConnectAsync(topology);
            await reconnected.SendAsync(new { @event = "pusher:ping", data = new { } });
            await reconnected.NextAsync("pusher:pong");

            Assert.Equal(4200, error["code"]!.GetValue<int>());
            Assert.Equal((WebSocketCloseStatus)4200, client.CloseStatus);
            Assert.NotEqual(client.SocketId, reconnected.SocketId);
        }
        finally
        {
            await topology.StartResourceAsync(stopping.ResourceId);
        }
    }

    [Fact]
    public async Task Clients_that_connect_while_a_replica_drains_are_told_to_reconnect_too_so_none_holds_its_shutdown()
    {
        var replicas = await topology.ReplicasAsync("realtime");
        var stopping = replicas[0];
        var address = VSmenu.Testing.VsmenuTopology.DirectAddress(stopping.Snapshot)!;
        var clients = new ConcurrentQueue<PusherClient>();
        using var stopConnecting = new CancellationTokenSource();

        // Keeps connecting to the replica, so connections arrive before, during and after its drain.
        var connecting = Task.Run(async () =>
        {
            while (!stopConnecting.IsCancellationRequested)
            {
                try
                {
                    clients.Enqueue(await PusherClient.ConnectAsync(topology, expectHandshake: false, replica: address));
                }
                catch (Exception exception) when (exception is WebSocketException or HttpRequestException)
                {
                    // The replica no longer listens.
                }
            }
        }, TestContext.Current.CancellationToken);

        try
        {
            await Eventually.ReturnsAsync(() => Task.FromResult(clients.Count), count => count >= 5, "clients connected to the replica");
            await topology.StopResourceAsync(stopping.ResourceId);
            await stopConnecting.CancelAsync();
            await connecting;

            foreach (var client in clients)
            {
                await client.WaitForCloseAsync();
                Assert.Equal((WebSocketCloseStatus)4200, client.CloseStatus);
            }
        }
        finally
        {
            await stopConnecting.CancelAsync();
            await connecting;
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }

            await topology.StartResourceAsync(stopping.ResourceId);
        }
    }
}
