using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Aspire.Hosting.Testing;
using VSmenu.IntegrationTests.Jobs;
using VSmenu.IntegrationTests.Realtime;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>Freezes the shared Redis (SIGSTOP): its sockets stay open and nothing it is sent is answered until the thaw.</summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class FrozenRedisTests(TopologyFixture topology)
{
    // Ten orders in all, the per-user limit of a minute: whether a replica counts them in Redis or, with Redis frozen
    // or its circuit not yet closed again from an earlier freeze, on its own, none of them can be refused with 429.
    private const int OrdersBeforeFreeze = 3;
    private const int OrdersDuringFreeze = 7;
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(7);
    private static readonly TimeSpan ShortOutage = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan RedisCallBudget = TimeSpan.FromMilliseconds(500);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_redis_frozen_orders_are_accepted_without_waiting_the_hub_answers_pings_and_every_event_and_job_follows_once_after_the_thaw()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (product, customerId) = await owner.CreateStockedDishAsync("Esfiha", 9m, stock: 100);
        var channel = $"private-orders.{owner.TenantId}";
        await using var kitchen = await RealtimeTests.SubscribePrivateAsync(topology, owner, channel);

        // One api replica, straight to its Kestrel: only its own first call to the frozen Redis may wait.
        using var tablet = AsTabletOf(owner, new HttpClient { BaseAddress = VsmenuTopology.DirectAddress((await topology.ReplicasAsync("api"))[0].Snapshot) });
        async Task<(long Id, double Milliseconds)> PlaceAsync()
        {
            var sent = Stopwatch.StartNew();
            var response = await ApiResponse.ReadAsync(await tablet.PostAsJsonAsync("/api/v1/orders",
                OrderBodies.Takeaway(customerId, product), Cancellation));
            return (response.AssertStatus(HttpStatusCode.Created).Id, sent.Elapsed.TotalMilliseconds);
        }

        var before = new List<double>();
        for (var i = 0; i < OrdersBeforeFreeze; i++)
        {
            before.Add((await PlaceAsync()).Milliseconds);
        }

        var during = new List<(long Id, double Milliseconds)>();
        await using (await Freezer.FreezeRedisAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? ""))
        {
            for (var i = 0; i < OrdersDuringFreeze; i++)
            {
                during.Add(await PlaceAsync());
            }

            var ping = Stopwatch.StartNew();
            await kitchen.SendAsync(new { @event = "pusher:ping", data = new { } });
            await kitchen.NextAsync("pusher:pong", patience: TimeSpan.FromSeconds(2));
            TestContext.Current.TestOutputHelper?.WriteLine($"pong from the hub in {ping.ElapsedMilliseconds} ms with Redis frozen");
        }

        var baseline = before.Order().ElementAt(before.Count / 2);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"POST /orders before the freeze: median {baseline:0} ms; during it: {string.Join(", ", during.Select(order => $"{order.Milliseconds:0}"))} ms");
        // The first request pays the one timeout that opens the circuit; every one after it skips Redis, so none waits
        // out a Redis call's 500 ms budget (the rate limiter's and the idempotency store's) again.
        Assert.All(during.Skip(1), order => Assert.True(order.Milliseconds < RedisCallBudget.TotalMilliseconds,
            $"An order took {order.Milliseconds:0} ms with Redis frozen (median {baseline:0} ms before the freeze): it waited for Redis."));

        var placed = during.Select(order => order.Id).ToHashSet();
        var seen = new HashSet<long>();
        while (!placed.IsSubsetOf(seen))
        {
            var created = await kitchen.NextAsync("order.created", channel, patience: TimeSpan.FromSeconds(30));
            seen.Add(PusherClient.Data(created)["order"]!["id"]!.GetValue<long>());
        }

        await Eventually.ReturnsAsync(
            () => topology.QueryScalarAsync<int>($"SELECT stock_quantity FROM products WHERE id = {product}"),
            stock => stock == 100 - before.Count - OrdersDuringFreeze, "every order's stock taken");
        var expected = placed.Select(id => new Mailbox.Message(owner.Email, $"Novo pedido #{id}")).ToArray();
        var mails = await new Mailbox(topology).WaitForAsync(expected);
        Assert.All(expected, mail => Assert.Single(mails, mail.Equals));
        Assert.Equal((long)(before.Count + OrdersDuringFreeze),
            await topology.QueryScalarAsync<long>($"SELECT count(*) FROM stock_movements WHERE tenant_id = {owner.TenantId}"));
        Assert.Equal(0L, await topology.QueryScalarAsync<long>($"SELECT count(*) FROM failed_jobs WHERE tenant_id = {owner.TenantId}"));
        // Each freeze ends with every replica's circuits closed again, so the next outage test starts from a ready topology.
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker", "realtime");
    }

    /// <summary>
    /// A frozen Redis can hold no Idempotency-Key: every replica skips the store once its circuit opens, and requests that
    /// reached it first go on after their budget. One key fired at both replicas at once then reaches PostgreSQL in several
    /// transactions, where the key's row in the order's own transaction must let one order in and answer the rest with it.
    /// </summary>
    [Fact]
    public async Task One_Idempotency_Key_fired_at_both_api_replicas_at_once_with_redis_frozen_creates_exactly_one_order()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(7.50m);
        var key = Guid.NewGuid().ToString();
        var replicas = await topology.CreateReplicaClientsAsync("api");
        Assert.Equal(2, replicas.Count);
        using var first = AsTabletOf(owner, replicas[0]);
        using var second = AsTabletOf(owner, replicas[1]);
        async Task<ApiResponse> PlaceAsync(HttpClient tablet)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
            {
                Content = JsonContent.Create(OrderBodies.Takeaway(menu.CustomerId, menu.Products[0])),
            };
            request.Headers.Add("Idempotency-Key", key);
            return await ApiResponse.ReadAsync(await tablet.SendAsync(request, Cancellation));
        }

        ApiResponse[] answers;
        await using (await Freezer.FreezeRedisAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? ""))
        {
            // Under the per-user limit of ten a minute, which each replica counts on its own while Redis is frozen.
            answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => PlaceAsync(i % 2 == 0 ? first : second)));
        }

        var created = Assert.Single((await owner.GetAsync("/api/v1/orders")).Ids);
        Assert.All(answers, answer => Assert.True(
            (answer.Status == HttpStatusCode.Created && answer.Id == created) || answer.Status == HttpStatusCode.Conflict,
            $"{(int)answer.Status}: {answer.Body?.ToJsonString()}"));
        TestContext.Current.TestOutputHelper?.WriteLine(string.Join(", ", answers.Select(answer => (int)answer.Status)));
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker", "realtime");
    }

    [Fact]
    public async Task With_redis_frozen_a_sign_out_answers_only_once_no_replica_can_still_accept_the_token_from_its_cache()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var replicas = await topology.CreateReplicaClientsAsync("api");
        Assert.Equal(2, replicas.Count);

        await using (await Freezer.FreezeRedisAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? ""))
        {
            // The first request on each replica pays the one Redis timeout that opens its circuit; the sign-out then
            // cannot tell the other replica, which has just cached the token, and must outwait that replica's cache.
            await TokenCacheTests.AssertAcceptedAsync(replicas[0], owner.Token, HttpStatusCode.OK);
            await TokenCacheTests.AssertAcceptedAsync(replicas[1], owner.Token, HttpStatusCode.OK);
            var signOut = Stopwatch.StartNew();
            using (var logout = await ApiSession.SendWithTokenAsync(replicas[0], HttpMethod.Post, "/api/v1/auth/logout", owner.Token))
            {
                Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            }

            TestContext.Current.TestOutputHelper?.WriteLine($"the sign-out answered in {signOut.ElapsedMilliseconds} ms with Redis frozen");
            await TokenCacheTests.AssertAcceptedAsync(replicas[1], owner.Token, HttpStatusCode.Unauthorized);
            await TokenCacheTests.AssertAcceptedAsync(replicas[0], owner.Token, HttpStatusCode.Unauthorized);
        }

        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker", "realtime");
    }

    /// <summary>
    /// A subscriber whose socket died in the freeze subscribes again only after the thaw, while the relay flushes its backlog
    /// into a pub/sub that keeps nothing for it: the relay publishes what it sent just after an outage once more, and the hub
    /// delivers each event to its sockets once.
    /// </summary>
    [Fact]
    public async Task An_event_flushed_as_redis_comes_back_reaches_a_subscriber_that_subscribed_again_only_after_that_and_a_socket_once()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (product, customerId) = await owner.CreateStockedDishAsync("Quibe", 8m, stock: 10);
        var channel = $"private-orders.{owner.TenantId}";
        await using var kitchen = await RealtimeTests.SubscribePrivateAsync(topology, owner, channel);
        async Task<long> PlaceAsync() => (await owner.PostAsync("/api/v1/orders",
            OrderBodies.Takeaway(customerId, product))).AssertStatus(HttpStatusCode.Created).Id;

        long order;
        await using (await Freezer.FreezeRedisAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? ""))
        {
            order = await PlaceAsync();
            // An outage, not a blip: past Redis's 5 s command timeout, as subscribers' sockets are given up on after one.
            await Task.Delay(Outage, Cancellation);
        }

        await Eventually.ReturnsAsync(() => OutboxTests.OutboxRowsAsync(topology, owner.TenantId), rows => rows.All(row => row.Published), "the order's events published after the thaw");
        await using var resubscribed = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);
        await resubscribed.WaitForAsync("order.created", channel, order);

        // Published after the repeat on the same channel, so the hub has handled the repeat when this reaches the socket.
        var marker = await PlaceAsync();
        var created = new List<long>();
        while (created.LastOrDefault() != marker)
        {
            created.Add(PusherClient.Data(await kitchen.NextAsync("order.created", channel, patience: TimeSpan.FromSeconds(30)))["order"]!["id"]!.GetValue<long>());
        }

        Assert.Single(created, order);
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker", "realtime");
    }

    /// <summary>
    /// The relay that flushes an event at the thaw may see no failure of its own: another replica's PUBLISH timed out and
    /// this one took the rows over, or it sent the PUBLISH late in the freeze and Redis answered it at the thaw. A CI chaos
    /// run's observer missed six order.created so. An order placed in the middle of a freeze shorter than Redis's command
    /// timeout is published without an error, and still once more for a subscriber that subscribes only after that.
    /// </summary>
    [Fact]
    public async Task An_event_whose_publish_a_freeze_held_without_failing_reaches_a_subscriber_that_subscribed_again_only_after_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (product, customerId) = await owner.CreateStockedDishAsync("Kibe", 8m, stock: 10);
        var channel = $"private-orders.{owner.TenantId}";

        long order;
        await using (await Freezer.FreezeRedisAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? ""))
        {
            // Within Redis's 5 s command timeout from the order's PUBLISH to the thaw, so that the PUBLISH is answered, not failed.
            await Task.Delay(ShortOutage / 2, Cancellation);
            order = (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, product))).AssertStatus(HttpStatusCode.Created).Id;
            await Task.Delay(ShortOutage / 2, Cancellation);
        }

        await Eventually.ReturnsAsync(() => OutboxTests.OutboxRowsAsync(topology, owner.TenantId), rows => rows.All(row => row.Published), "the order's events published after the thaw");
        await using var resubscribed = await BroadcastListener.SubscribeAsync(topology, owner.TenantId);
        await resubscribed.WaitForAsync("order.created", channel, order);
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker", "realtime");
    }

    [Fact]
    public async Task Presence_on_both_hub_replicas_is_right_again_within_a_lease_of_a_freeze_longer_than_the_lease()
    {
        var replicas = (await topology.ReplicasAsync("realtime")).Select(replica => VsmenuTopology.DirectAddress(replica.Snapshot)!).ToList();
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var channel = $"presence-restaurant.{owner.TenantId}";
        await using var ownersTablet = await RealtimeTests.JoinPresenceAsync(topology, owner, channel, replicas[0]);
        await ownersTablet.NextAsync("pusher_internal:subscription_succeeded", channel);
        await using var waitersPhone = await RealtimeTests.JoinPresenceAsync(topology, waiter, channel, replicas[1]);
        await waitersPhone.NextAsync("pusher_internal:subscription_succeeded", channel);

        // Longer than the topology's 6 s lease: once Redis answers again each replica's lease has lapsed for the other.
        await using (await Freezer.FreezeRedisAsync(await topology.App.GetConnectionStringAsync("redis", Cancellation) ?? ""))
        {
            await waitersPhone.SendAsync(new { @event = "pusher:ping", data = new { } });
            await waitersPhone.NextAsync("pusher:pong", patience: TimeSpan.FromSeconds(2));
            await Task.Delay(TimeSpan.FromSeconds(8), Cancellation);
        }

        var thawed = Stopwatch.StartNew();
        // Whoever was announced gone while both stayed connected must be announced back: a newcomer sees both.
        var everyone = new[] { owner.UserId, waiter.UserId }.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        await Eventually.ReturnsAsync(
            async () =>
            {
                await using var newcomer = await RealtimeTests.JoinPresenceAsync(topology, owner, channel, replicas[thawed.ElapsedMilliseconds % 2 == 0 ? 0 : 1]);
                var joined = PusherClient.Data(await newcomer.NextAsync("pusher_internal:subscription_succeeded", channel));
                return joined["presence"]!["ids"]!.AsArray().Select(id => id!.GetValue<string>()).Order().ToList();
            },
            ids => ids.SequenceEqual(everyone), "both members listed on the presence channel", TimeSpan.FromSeconds(12));
        TestContext.Current.TestOutputHelper?.WriteLine($"presence right again {thawed.ElapsedMilliseconds} ms after the thaw");
        Assert.True(thawed.Elapsed < TimeSpan.FromSeconds(6 + 2), $"Presence took {thawed.Elapsed.TotalSeconds:0.0} s after the thaw, more than a lease.");
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker", "realtime");
    }

    /// <summary>Makes a client of one api replica's own Kestrel a tablet of <paramref name="owner"/>'s, from an address of its own.</summary>
    private static HttpClient AsTabletOf(ApiSession owner, HttpClient replica)
    {
        replica.DefaultRequestHeaders.Add("X-Forwarded-For", ApiSession.UniqueClientAddress());
        replica.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", owner.Token);
        return replica;
    }
}
