using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Aspire.Hosting.Testing;
using VSmenu.IntegrationTests.Jobs;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>
/// Freezes the shared PostgreSQL (SIGSTOP of the postmaster and every backend): it keeps its sockets open and answers
/// nothing, as behind a stalled disk or a partition, unlike a stopped server that refuses at once.
/// </summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class FrozenDatabaseTests(TopologyFixture topology)
{
    private const int Clients = 64;
    private static readonly TimeSpan Freeze = TimeSpan.FromSeconds(6);

    /// <summary>Into a freeze, by when both api replicas have found it (0.7-1.2 s measured on two busy cores).</summary>
    private static readonly TimeSpan Detection = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// A tablet asks again 250-750 ms after its answer: 64 of them then ask about 120 times a second, half of what two
    /// cores refuse, so what is measured is how long the api holds a request, not a queue of clients on a saturated
    /// machine (in a tight loop the clients measured a p50 of 143 ms while the api logged its refusals within 3 ms p50).
    /// Each its own pause, as people's are, before every request, the first of a freeze too: 64 tablets in lockstep (all
    /// at once as the freeze begins, and again each time the circuit releases them together) queue on two cores, and the
    /// clients measured that queue (refusals logged by the api in 1.0-1.1 s reached them in 2.0-2.2 s).
    /// </summary>
    private static TimeSpan TabletPause() => TimeSpan.FromMilliseconds(Random.Shared.Next(250, 750));

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// Two freezes in a row: the first one's refusals must leave the circuit as ready as before (an open refused while the
    /// circuit was open was counted as a call ending, the count of calls waiting went below zero, and the next freeze
    /// held requests 10 s).
    /// </summary>
    [Fact]
    public async Task With_postgres_frozen_twice_64_clients_get_503_within_2_seconds_mostly_at_once_and_it_recovers_by_itself_within_2_seconds_of_each_thaw()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
        // Half the tablets on each api replica, straight to its Kestrel: what is measured is the api, not the orchestrator's proxy.
        var replicas = (await topology.ReplicasAsync("api")).Select(replica => VsmenuTopology.DirectAddress(replica.Snapshot)!).ToList();
        // Each tablet its waiter's own: 64 tablets of one user ask about 120 times a second, past that user's limit of 100
        // a minute, and were let through only while a frozen database kept their token from being checked.
        var waiters = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => owner.AddStaffAsync("waiter")));
        var clients = waiters.Select((waiter, index) =>
        {
            var client = new HttpClient { BaseAddress = replicas[index % replicas.Count], Timeout = TimeSpan.FromSeconds(10) };
            client.DefaultRequestHeaders.Add("X-Forwarded-For", ApiSession.UniqueClientAddress());
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", waiter.Token);
            return client;
        }).ToList();
        // Every tablet has been served once: a replica that never answered a request still compiles its queries when the
        // freeze hits, and opens its circuit only after that (2.2-4.3 s on two busy cores), which is cold start, not the hang.
        // Its first burst of 64 can open a circuit for a moment too (no answer in 500 ms while it compiles, nor to the
        // probe in 400 ms): the tablets ask until served, as they would.
        await Task.WhenAll(clients.Select(client => Eventually.ReturnsAsync(
            async () => (await client.GetAsync("/api/v1/orders", Cancellation)).StatusCode, status => status == HttpStatusCode.OK,
            $"{client.BaseAddress} serving a tablet before the freeze", TimeSpan.FromSeconds(30))));
        var healthProbes = (await topology.CreateReplicaClientsAsync("api")).Concat(await topology.CreateReplicaClientsAsync("worker")).ToList();
        foreach (var probe in healthProbes)
        {
            probe.Timeout = TimeSpan.FromSeconds(5);
        }

        try
        {
            foreach (var freeze in new[] { "first", "second" })
            {
                await FreezeWhileTabletsAskAsync(waiters[0], clients, healthProbes, freeze);
            }
        }
        finally
        {
            foreach (var client in clients.Concat(healthProbes))
            {
                client.Dispose();
            }

            foreach (var waiter in waiters)
            {
                waiter.Dispose();
            }
        }

        // The next outage test starts with every api and worker replica ready, not only the ones the tablets asked
        // (the chaos run's sign-up right after this test met a 503).
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker");
    }

    private async Task FreezeWhileTabletsAskAsync(ApiSession waiter, IReadOnlyList<HttpClient> clients, IReadOnlyList<HttpClient> healthProbes, string freeze)
    {
        var answers = new ConcurrentBag<(HttpStatusCode Status, double Milliseconds, ApiResponse Response, TimeSpan SentAfter)>();
        await using (await Freezer.FreezePostgresAsync(await ConnectionStringAsync(), Cancellation))
        {
            var frozenFor = Stopwatch.StartNew();
            var unhealthy = Task.WhenAll(healthProbes.Select(probe => Eventually.ReturnsAsync(
                async () => (await probe.GetAsync("/health", Cancellation)).StatusCode,
                status => status == HttpStatusCode.ServiceUnavailable, $"{probe.BaseAddress} reporting the database unhealthy in the {freeze} freeze", TimeSpan.FromSeconds(5))));
            await Task.WhenAll(clients.Select(async client =>
            {
                while (frozenFor.Elapsed < Freeze)
                {
                    await Task.Delay(TabletPause(), Cancellation);
                    var sentAfter = frozenFor.Elapsed;
                    var sent = Stopwatch.StartNew();
                    var response = await ApiResponse.ReadAsync(await client.GetAsync("/api/v1/orders", Cancellation));
                    answers.Add((response.Status, sent.Elapsed.TotalMilliseconds, response, sentAfter));
                }
            }));
            await unhealthy;
        }

        var thawed = Stopwatch.StartNew();
        await Eventually.ReturnsAsync(() => waiter.GetAsync("/api/v1/orders"), response => response.Status == HttpStatusCode.OK, $"answering again after the {freeze} freeze", TimeSpan.FromSeconds(2));
        var recovered = thawed.Elapsed;
        // Every replica back, not only the one the orchestrator's proxy chose: the next freeze starts from closed circuits.
        await Task.WhenAll(clients.DistinctBy(client => client.BaseAddress).Select(client => Eventually.ReturnsAsync(
            async () => (await client.GetAsync("/api/v1/orders", Cancellation)).StatusCode, status => status == HttpStatusCode.OK,
            $"{client.BaseAddress} answering again after the {freeze} freeze", TimeSpan.FromSeconds(5))));

        var latencies = answers.Select(answer => answer.Milliseconds).Order().ToArray();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{freeze} freeze: {answers.Count} requests in {Freeze.TotalSeconds:0} s: max {latencies[^1]:0} ms, p50 {latencies[latencies.Length / 2]:0} ms; "
            + $"{answers.Count(answer => answer.Status == HttpStatusCode.OK)} answered 200 before it bit; back {recovered.TotalMilliseconds:0} ms after the thaw");
        Assert.All(answers, answer => Assert.True(answer.Milliseconds < 2_000, $"A request was held {answer.Milliseconds:0} ms in the {freeze} freeze."));
        var refused = answers.Where(answer => answer.Status != HttpStatusCode.OK).ToList();
        Assert.All(refused, answer =>
        {
            answer.Response.AssertStatus(HttpStatusCode.ServiceUnavailable);
            Assert.Equal("5", RateLimitTests.Header(answer.Response.Raw, "Retry-After"));
            Assert.Equal("Serviço temporariamente indisponível; tente novamente em instantes.", answer.Response.Message);
            Assert.NotNull(answer.Response.Body!["trace_id"]);
        });
        // The requests sent while the circuits find the server hung wait for that (about 1 s); without the circuit every later
        // one would wait out its command timeout too, while with it they are refused at once.
        var later = refused.Where(answer => answer.SentAfter > Detection).ToList();
        Assert.True(later.Count(answer => answer.Milliseconds < 250) >= later.Count * 0.95,
            $"Only {later.Count(answer => answer.Milliseconds < 250)} of the {later.Count} refusals sent {Detection.TotalSeconds} s or more into the {freeze} freeze came at once.");
    }

    [Fact]
    public async Task Orders_committed_just_before_a_freeze_get_every_job_and_event_exactly_once_after_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (product, customerId) = await owner.CreateStockedDishAsync("Pastel", 12m, stock: 100);

        // Orders committed in a stream, the freeze landing while their jobs and events are on their way.
        var placing = Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, product)))));
        var orders = (await placing).Select(order => order.AssertStatus(HttpStatusCode.Created).Id).ToList();
        await using (await Freezer.FreezePostgresAsync(await ConnectionStringAsync(), Cancellation))
        {
            await Task.Delay(Freeze, Cancellation);
        }

        await Eventually.ReturnsAsync(
            () => topology.QueryScalarAsync<int>($"SELECT stock_quantity FROM products WHERE id = {product}"),
            stock => stock == 100 - orders.Count, "every order's stock taken");
        var expected = orders.Select(id => new Mailbox.Message(owner.Email, $"Novo pedido #{id}")).ToArray();
        var mails = await new Mailbox(topology).WaitForAsync(expected);
        Assert.All(expected, mail => Assert.Single(mails, mail.Equals));
        await Eventually.ReturnsAsync(() => OutboxTests.OutboxRowsAsync(topology, owner.TenantId), rows => rows.All(row => row.Published), "every event published");
        Assert.Equal((long)orders.Count, await topology.QueryScalarAsync<long>($"SELECT count(*) FROM stock_movements WHERE tenant_id = {owner.TenantId}"));
        Assert.Equal(0L, await topology.QueryScalarAsync<long>($"SELECT count(*) FROM failed_jobs WHERE tenant_id = {owner.TenantId}"));
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker");
    }

    /// <summary>
    /// A request the api let go of in a freeze (answered 503 while its transaction waited on the server) leaves that
    /// transaction to end by itself after the thaw; it must, and hold no row after. In a 5-minute chaos run six stayed
    /// idle in transaction for over ten minutes instead, the api's task stuck in Npgsql reading an answer the server had
    /// already sent: each held its order's rows and one of the replica's 20 connections, and every later stock take and
    /// status change of those orders waited on it. The cause: the query inside the transaction's work was let go of on its
    /// own, and its read in the background took the answer that the transaction's disposal then waited for.
    /// </summary>
    [Fact]
    public async Task Transactions_let_go_of_in_a_freeze_end_after_the_thaw_and_hold_no_rows()
    {
        const int Tablets = 16;
        string[] workflow = ["confirmed", "preparing", "ready", "picked_up", "completed"];
        using var owner = await ApiSession.RegisterAsync(topology);
        var (product, customerId) = await owner.CreateStockedDishAsync("Coxinha", 6m, stock: 1_000);
        // Two tablets to a manager: the per-user limits of a minute are not what this test is about.
        var managers = new List<ApiSession>();
        for (var i = 0; i < Tablets / 2; i++)
        {
            managers.Add(await owner.AddStaffAsync("manager"));
        }

        try
        {
            var orders = new List<long>();
            for (var i = 0; i < Tablets; i++)
            {
                orders.Add((await managers[i / 2].PostAsync("/api/v1/orders", OrderBodies.Takeaway(customerId, product))).AssertStatus(HttpStatusCode.Created).Id);
            }

            // The tablets are at work when the freeze lands, so that it finds transactions half done.
            var statuses = new ConcurrentBag<HttpStatusCode>();
            using var stop = new CancellationTokenSource();
            var tablets = Task.WhenAll(orders.Select(async (order, index) =>
            {
                // Each tablet moves its order on through the workflow as the server lets it: a 503 is asked again.
                for (var step = 0; step < workflow.Length && !stop.IsCancellationRequested;)
                {
                    var status = (await managers[index / 2].PatchAsync($"/api/v1/orders/{order}", new { status = workflow[step] })).Status;
                    statuses.Add(status);
                    step += status is HttpStatusCode.OK or HttpStatusCode.Conflict ? 1 : 0;
                    await Task.Delay(TabletPause(), Cancellation);
                }
            }));
            await Task.Delay(TabletPause(), Cancellation);
            await using (await Freezer.FreezePostgresAsync(await ConnectionStringAsync(), Cancellation))
            {
                await Task.Delay(Freeze, Cancellation);
            }

            await stop.CancelAsync();
            await tablets;
            var thawedAt = await topology.QueryScalarAsync<DateTime>("SELECT clock_timestamp()::timestamp");
            TestContext.Current.TestOutputHelper?.WriteLine(
                $"answers in the freeze: {string.Join(", ", statuses.GroupBy(status => status).Select(group => $"{(int)group.Key} x{group.Count()}"))}");
            // Begun before the thaw and still open well after it: nothing of ours waits that long between two statements.
            var leftOpen = $"""
                SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'
                AND xact_start < '{thawedAt:O}'::timestamp
                """;
            var thawed = Stopwatch.StartNew();
            // Within less than PostgreSQL's 10 s for a session idle in a transaction (Database:IdleInTransactionTimeout),
            // the backstop that ended them before the api did by itself.
            await Eventually.ReturnsAsync(() => topology.QueryScalarAsync<long>(leftOpen), open => open == 0,
                "no transaction of before the thaw left open", TimeSpan.FromSeconds(6));
            TestContext.Current.TestOutputHelper?.WriteLine($"every transaction of before the thaw ended {thawed.Elapsed.TotalSeconds:0.0} s after it");

            // What waited on their locks goes on then, and ends in turn: soon no one holds an order's row.
            await Eventually.ReturnsAsync(() => OrdersLockableAsync(orders), lockable => lockable, "every order's row free to lock", TimeSpan.FromSeconds(15));
        }
        finally
        {
            managers.ForEach(manager => manager.Dispose());
        }

        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker");
    }

    private async Task<bool> OrdersLockableAsync(IEnumerable<long> orders)
    {
        await using var database = await topology.OpenDatabaseAsync();
        await using var transaction = await database.BeginTransactionAsync(Cancellation);
        await using var locking = new Npgsql.NpgsqlCommand($"SELECT id FROM orders WHERE id = ANY(ARRAY[{string.Join(',', orders)}]) FOR UPDATE NOWAIT", database, transaction);
        try
        {
            await locking.ExecuteNonQueryAsync(Cancellation);
            return true;
        }
        catch (Npgsql.PostgresException held) when (held.SqlState == Npgsql.PostgresErrorCodes.LockNotAvailable)
        {
            return false;
        }
    }

    private async Task<string> ConnectionStringAsync() =>
        await topology.App.GetConnectionStringAsync("vsmenudb", Cancellation) ?? throw new InvalidOperationException("No vsmenudb connection string.");
}
