using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting.Testing;
using VSmenu.IntegrationTests.Api;
using VSmenu.IntegrationTests.Realtime;
using VSmenu.Testing;
using static VSmenu.IntegrationTests.Pos.PosTerminalTests;

namespace VSmenu.IntegrationTests.Pos;

/// <summary>
/// Terminals while the api or the hub is stopped (every replica), so these run with the other outage tests, alone; the
/// one-second claim between two terminals is timed here too, on a machine the rest of the suite is not loading.
/// </summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class PosTerminalOutageTests(TopologyFixture topology)
{
    [Fact]
    public async Task Twenty_orders_made_with_the_api_stopped_are_served_locally_and_each_reaches_the_server_once_within_10_s_of_its_return()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(17.00m);
        await using var terminal = await ReadyTerminalAsync(topology, owner, menu);
        // The restaurant's screen as the spec's clients are: stock laravel-echo on its private orders channel.
        await using var kitchen = await EchoListener.SubscribeAsync(topology, owner, $"orders.{owner.TenantId}", "order.created");
        var replicas = await topology.ReplicasAsync("api");
        var made = new List<string>();
        foreach (var replica in replicas)
        {
            await topology.StopResourceAsync(replica.ResourceId);
        }

        try
        {
            for (var i = 0; i < 20; i++)
            {
                made.Add(ClientId(await terminal.CallAsync("orders:create", TakeawayOrder(menu, notes: $"offline #{i}"))));
            }

            Assert.Equal(20, (await terminal.CallAsync("orders:getAll", new { status = "pending" })).GetArrayLength());
            await terminal.WaitForStatusAsync(
                status => status.GetProperty("state").GetString() == "offline" && status.GetProperty("pending").GetInt64() == 20, "offline with 20 pending");
        }
        finally
        {
            foreach (var replica in replicas)
            {
                await topology.StartResourceAsync(replica.ResourceId);
            }
        }

        var started = Stopwatch.StartNew();
        // "Started again" is the api answering: from then on the terminal's next try (at most 5 s away) pushes.
        using (var api = topology.CreateHttpClient("api"))
        {
            await Eventually.ReturnsAsync(
                async () => (await api.GetAsync("/health", TestContext.Current.CancellationToken)).StatusCode, status => status == System.Net.HttpStatusCode.OK,
                "the api answering again", TimeSpan.FromSeconds(60));
        }

        var back = Stopwatch.StartNew();
        await Eventually.ReturnsAsync(
            () => topology.QueryScalarAsync<long>($"SELECT count(*) FROM orders WHERE tenant_id = {owner.TenantId}"), count => count == 20,
            "all 20 orders on the server", TimeSpan.FromSeconds(60));
        var pushedAfter = back.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"20 orders on the server {started.Elapsed.TotalSeconds:0.0} s after the api's replicas were started, {pushedAfter.TotalSeconds:0.0} s after it answered again");
        Assert.True(pushedAfter < TimeSpan.FromSeconds(10), $"The 20 orders reached the server {pushedAfter.TotalSeconds:0.0} s after the api answered again.");

        Assert.Equal(20, await topology.QueryScalarAsync<long>($"SELECT count(DISTINCT client_id) FROM orders WHERE tenant_id = {owner.TenantId}"));
        var announced = new HashSet<long>();
        while (announced.Count < 20)
        {
            var created = await kitchen.NextAsync(TimeSpan.FromSeconds(30));
            Assert.True(announced.Add(created["order"]!["id"]!.GetValue<long>()), "An order was announced twice.");
        }

        var shown = await terminal.WaitForOrdersAsync(
            orders => orders.EnumerateArray().All(order => order.GetProperty("id").ValueKind is JsonValueKind.Number), "every order with its server id");
        Assert.Equal(made.Order(), shown.EnumerateArray().Select(ClientId).Order());
        Assert.Equal(announced.Order(), shown.EnumerateArray().Select(order => order.GetProperty("id").GetInt64()).Order());
        await kitchen.AssertNothingMoreAsync();
        // The next outage test starts with both replicas serving, not only the one that answered first.
        await topology.WaitUntilEveryReplicaIsReadyAsync("api");
    }

    /// <summary>
    /// Every api replica frozen (SIGSTOP): connections open and requests go unanswered, as behind a hung host, unlike a
    /// stopped api that refuses at once. The till must not wait on it: its UI is answered locally, the sync gives up within
    /// its 10 s budget and says offline, a sign-in is refused within that budget, and after the thaw (when the api may
    /// still answer pushes the terminal gave up on) each order is on the server once.
    /// </summary>
    [Fact]
    public async Task With_the_api_frozen_the_till_answers_at_once_says_offline_within_its_budget_and_each_order_reaches_the_server_once_after_the_thaw()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(14.40m);
        await using var terminal = await ReadyTerminalAsync(topology, owner, menu);
        var made = new List<string>();
        var slowest = TimeSpan.Zero;
        await using (await Freezer.FreezeProcessTreesAsync((await topology.ReplicasAsync("api")).Select(ResourceControl.ProcessId)))
        {
            var frozenAt = Stopwatch.StartNew();
            for (var i = 0; i < 5; i++)
            {
                var call = Stopwatch.StartNew();
                made.Add(ClientId(await terminal.CallAsync("orders:create", TakeawayOrder(menu, notes: $"frozen #{i}"))));
                slowest = call.Elapsed > slowest ? call.Elapsed : slowest;
            }

            Assert.Equal(5, (await terminal.CallAsync("orders:getAll", new { status = "pending" })).GetArrayLength());
            await terminal.WaitForStatusAsync(
                status => status.GetProperty("state").GetString() == "offline" && status.GetProperty("pending").GetInt64() == 5, "offline with 5 pending",
                TimeSpan.FromSeconds(30));
            var offlineAfter = frozenAt.Elapsed;

            var signIn = Stopwatch.StartNew();
            var refused = await terminal.RefusalAsync("auth:login", new { email = owner.Email, password = ApiSession.Password });
            var refusedAfter = signIn.Elapsed;
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"slowest create {slowest.TotalMilliseconds:0} ms; offline {offlineAfter.TotalSeconds:0.0} s into the freeze; sign-in refused in {refusedAfter.TotalSeconds:0.0} s");
            Assert.True(slowest < TimeSpan.FromSeconds(1), $"A create waited {slowest.TotalMilliseconds:0} ms with the api frozen.");
            Assert.True(offlineAfter < TimeSpan.FromSeconds(15), $"The till said offline only {offlineAfter.TotalSeconds:0.0} s into the freeze.");
            Assert.Equal(503, refused.ErrorCode);
            Assert.True(refusedAfter < TimeSpan.FromSeconds(15), $"The sign-in was refused only after {refusedAfter.TotalSeconds:0.0} s.");
        }

        var back = Stopwatch.StartNew();
        await Eventually.ReturnsAsync(
            () => topology.QueryScalarAsync<long>($"SELECT count(*) FROM orders WHERE tenant_id = {owner.TenantId}"), count => count == 5,
            "all 5 orders on the server", TimeSpan.FromSeconds(60));
        TestContext.Current.TestOutputHelper?.WriteLine($"5 orders on the server {back.Elapsed.TotalSeconds:0.0} s after the thaw");
        Assert.True(back.Elapsed < TimeSpan.FromSeconds(15), $"The orders reached the server {back.Elapsed.TotalSeconds:0.0} s after the thaw.");
        var status = await terminal.WaitForStatusAsync(
            status => status.GetProperty("state").GetString() == "idle" && status.GetProperty("pending").GetInt64() == 0, "idle with nothing pending");
        Assert.Empty(status.GetProperty("rejected").EnumerateArray());
        Assert.Equal(5, await topology.QueryScalarAsync<long>($"SELECT count(DISTINCT client_id) FROM orders WHERE tenant_id = {owner.TenantId}"));
        var shown = await terminal.WaitForOrdersAsync(
            orders => orders.EnumerateArray().All(order => order.GetProperty("id").ValueKind is JsonValueKind.Number), "every order with its server id");
        Assert.Equal(made.Order(), shown.EnumerateArray().Select(ClientId).Order());
        await topology.WaitUntilEveryReplicaIsReadyAsync("api");
    }

    /// <summary>
    /// PostgreSQL frozen (SIGSTOP): the api is up and refuses at once with 503 once its circuit opens. The till is not
    /// offline then, and must not say so (its staff would check the network): it says the server is failing, with the
    /// api's own message, goes on serving its UI and trying, and pushes each order once after the thaw.
    /// </summary>
    [Fact]
    public async Task With_the_database_frozen_the_till_says_the_server_is_failing_not_offline_and_each_order_reaches_the_server_once_after_the_thaw()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(12.30m);
        await using var terminal = await ReadyTerminalAsync(topology, owner, menu);
        var made = new List<string>();
        var database = await topology.App.GetConnectionStringAsync("vsmenudb", TestContext.Current.CancellationToken) ?? "";
        await using (await Freezer.FreezePostgresAsync(database, TestContext.Current.CancellationToken))
        {
            for (var i = 0; i < 3; i++)
            {
                made.Add(ClientId(await terminal.CallAsync("orders:create", TakeawayOrder(menu, notes: $"database frozen #{i}"))));
            }

            var failing = await terminal.WaitForStatusAsync(
                status => status.GetProperty("state").GetString() == "error" && status.GetProperty("pending").GetInt64() == 3, "error with 3 pending",
                TimeSpan.FromSeconds(30));
            Assert.Equal("Serviço temporariamente indisponível; tente novamente em instantes.", failing.GetProperty("error").GetString());
            Assert.Equal(3, (await terminal.CallAsync("orders:getAll", new { status = "pending" })).GetArrayLength());
        }

        await Eventually.ReturnsAsync(
            () => topology.QueryScalarAsync<long>($"SELECT count(*) FROM orders WHERE tenant_id = {owner.TenantId}"), count => count == 3,
            "all 3 orders on the server", TimeSpan.FromSeconds(60));
        await terminal.WaitForStatusAsync(
            status => status.GetProperty("state").GetString() == "idle" && status.GetProperty("pending").GetInt64() == 0, "idle with nothing pending");
        Assert.Equal(3, await topology.QueryScalarAsync<long>($"SELECT count(DISTINCT client_id) FROM orders WHERE tenant_id = {owner.TenantId}"));
        var shown = await terminal.WaitForOrdersAsync(
            orders => orders.EnumerateArray().All(order => order.GetProperty("id").ValueKind is JsonValueKind.Number), "every order with its server id");
        Assert.Equal(made.Order(), shown.EnumerateArray().Select(ClientId).Order());
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker");
    }

    /// <summary>
    /// The hub frozen (SIGSTOP) rather than stopped: the terminals' sockets stay open and silent, so nothing tells them the
    /// hub is gone; the periodic pull (shortened here to 10 s) still brings the other terminal's order.
    /// </summary>
    [Fact]
    public async Task With_the_hub_frozen_an_order_made_on_one_terminal_reaches_the_other_by_its_next_periodic_pull()
    {
        var pullEveryTenSeconds = new Dictionary<string, string> { ["Pos__PullInterval"] = "00:00:10" };
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(11.10m);
        await using var counter = await ReadyTerminalAsync(topology, owner, menu, settings: pullEveryTenSeconds);
        await using var bar = await ReadyTerminalAsync(topology, owner, menu, settings: pullEveryTenSeconds);
        await MakeAndSeeAsync(counter, bar, menu, TimeSpan.FromSeconds(10));

        await using (await Freezer.FreezeProcessTreesAsync((await topology.ReplicasAsync("realtime")).Select(ResourceControl.ProcessId)))
        {
            var withHubFrozen = await MakeAndSeeAsync(counter, bar, menu, TimeSpan.FromSeconds(30));
            TestContext.Current.TestOutputHelper?.WriteLine($"with the hub frozen: {withHubFrozen.TotalSeconds:0.0} s");
            Assert.True(withHubFrozen < TimeSpan.FromSeconds(11), $"An order took {withHubFrozen.TotalSeconds:0.0} s to reach the other terminal with the hub frozen.");
            var counterStatus = await counter.CallAsync("sync:status");
            Assert.Equal(0, counterStatus.GetProperty("pending").GetInt64());
        }

        await topology.WaitUntilEveryReplicaIsReadyAsync("realtime");
    }

    [Fact]
    public async Task An_order_made_on_one_terminal_appears_on_the_other_within_a_second_with_the_hub_and_within_61_s_without_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var menu = await owner.CreateMenuAsync(21.90m);
        await using var counter = await ReadyTerminalAsync(topology, owner, menu);
        await using var bar = await ReadyTerminalAsync(topology, waiter, menu);

        // The first order JIT-compiles both terminals' and the api replica's paths (1.6 s measured); a till runs all day.
        await MakeAndSeeAsync(counter, bar, menu, TimeSpan.FromSeconds(10));
        var delays = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            delays.Add((await MakeAndSeeAsync(counter, bar, menu, TimeSpan.FromSeconds(5))).TotalMilliseconds);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"with the hub: {string.Join(", ", delays.Select(delay => $"{delay:0} ms"))}");
        Assert.All(delays, delay => Assert.True(delay < 1_000, $"An order took {delay:0} ms to reach the other terminal with the hub."));

        var hub = await topology.ReplicasAsync("realtime");
        foreach (var replica in hub)
        {
            await topology.StopResourceAsync(replica.ResourceId);
        }

        try
        {
            var withoutHub = await MakeAndSeeAsync(counter, bar, menu, TimeSpan.FromSeconds(90));
            TestContext.Current.TestOutputHelper?.WriteLine($"without the hub: {withoutHub.TotalSeconds:0.0} s");
            Assert.True(withoutHub < TimeSpan.FromSeconds(61), $"An order took {withoutHub.TotalSeconds:0.0} s to reach the other terminal without the hub.");
        }
        finally
        {
            foreach (var replica in hub)
            {
                await topology.StartResourceAsync(replica.ResourceId);
            }
        }

        await topology.WaitUntilEveryReplicaIsReadyAsync("realtime");
    }

    /// <summary>Makes an order on <paramref name="from"/> and times it until <paramref name="to"/> tells its UI that it has it.</summary>
    private static async Task<TimeSpan> MakeAndSeeAsync(PosTerminal from, PosTerminal to, ApiSession.Menu menu, TimeSpan patience)
    {
        var made = await from.CallAsync("orders:create", TakeawayOrder(menu, quantity: 3));
        var clock = Stopwatch.StartNew();
        var clientId = ClientId(made);
        await to.NextOrdersChangedAsync(changed => changed.GetProperty("client_ids").EnumerateArray().Any(id => id.GetString() == clientId), patience);
        var elapsed = clock.Elapsed;
        var shown = await to.CallAsync("orders:getById", clientId);
        Assert.Equal(3, shown.GetProperty("items")[0].GetProperty("quantity").GetInt32());
        Assert.True(shown.GetProperty("id").GetInt64() > 0);
        return elapsed;
    }
}
