using System.Net;
using System.Net.Http.Json;
using Npgsql;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Tests that stop shared infrastructure: they run alone, after the parallel tests.</summary>
[CollectionDefinition(nameof(InfrastructureOutage), DisableParallelization = true)]
public sealed class InfrastructureOutage;

/// <summary>Stops the shared Redis.</summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class RedisOutageTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orders_accepted_while_redis_is_down_are_limited_locally_and_broadcast_once_it_is_back()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);

        await topology.StopResourceAsync("redis");
        // Rate limits fall back to this replica's own counts, and an Idempotency-Key cannot be held: the order still goes in.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
        {
            Content = JsonContent.Create(OrderBodies.Takeaway(menu.CustomerId, menu.Products[0])),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
        var order = (await ApiResponse.ReadAsync(await owner.Http.SendAsync(request, Cancellation))).AssertStatus(HttpStatusCode.Created);
        Assert.Equal("10", Edge.RateLimitTests.Header(order.Raw, "X-RateLimit-Limit"));
        Assert.All(await OutboxTests.OutboxRowsAsync(topology, owner.TenantId), row => Assert.False(row.Published));

        // Holding the relay's lock while Redis comes back lets the test subscribe before the relay can publish.
        await using var connection = await topology.OpenDatabaseAsync();
        await using var relayLock = await connection.BeginTransactionAsync(Cancellation);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('vsmenu_outbox_relay'))", connection, relayLock))
        {
            await lockCommand.ExecuteNonQueryAsync(Cancellation);
        }

        await topology.StartResourceAsync("redis");
        await using var listener = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);
        await relayLock.CommitAsync(Cancellation);

        var created = await listener.WaitForAsync("order.created", $"private-orders.{owner.TenantId}", order.Id);
        Assert.Equal("10.00", created.Data["order"]!["total"]!.ToJsonString());
        await Eventually.ReturnsAsync(() => OutboxTests.OutboxRowsAsync(topology, owner.TenantId), rows => rows.All(row => row.Published), "stamped published");
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker", "realtime");
    }
}
