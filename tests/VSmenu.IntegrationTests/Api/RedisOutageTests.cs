using System.Net;
using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace VSmenu.IntegrationTests.Api;

[CollectionDefinition(nameof(RedisOutage), DisableParallelization = true)]
public sealed class RedisOutage;

/// <summary>Stops the shared Redis, so it runs alone, after the parallel tests.</summary>
[Collection(nameof(RedisOutage))]
public sealed class RedisOutageTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Orders_accepted_while_redis_is_down_are_broadcast_once_it_is_back()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        var commands = topology.App.Services.GetRequiredService<ResourceCommandService>();

        await commands.ExecuteCommandAsync("redis", KnownResourceCommands.StopCommand, Cancellation);
        await topology.App.ResourceNotifications.WaitForResourceAsync("redis", KnownResourceStates.TerminalStates, Cancellation);
        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
        Assert.All(await OutboxTests.OutboxRowsAsync(topology, owner.TenantId), row => Assert.False(row.Published));

        // Holding the relay's lock while Redis comes back lets the test subscribe before the relay can publish.
        await using var connection = await topology.OpenDatabaseAsync();
        await using var relayLock = await connection.BeginTransactionAsync(Cancellation);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext('vsmenu_outbox_relay'))", connection, relayLock))
        {
            await lockCommand.ExecuteNonQueryAsync(Cancellation);
        }

        await commands.ExecuteCommandAsync("redis", KnownResourceCommands.StartCommand, Cancellation);
        await topology.App.ResourceNotifications.WaitForResourceHealthyAsync("redis", Cancellation);
        await using var listener = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);
        await relayLock.CommitAsync(Cancellation);

        var created = await listener.WaitForAsync("order.created", $"private-orders.{owner.TenantId}", order.Id);
        Assert.Equal("10.00", created["data"]!["order"]!["total"]!.ToJsonString());
        await Eventually.ReturnsAsync(() => OutboxTests.OutboxRowsAsync(topology, owner.TenantId), rows => rows.All(row => row.Published), "stamped published");
    }
}
