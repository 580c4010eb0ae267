using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.Testing;

/// <summary>
/// Order traffic from many tablets of one restaurant (orders created, moved through the workflow, some cancelled) while a
/// schedule kills -9 and restarts a worker, an api and a hub replica and freezes PostgreSQL and Redis in turn; then checks
/// that nothing was lost or doubled. The benchmark (bench/chaos.sh) runs it for minutes, the test suite for one.
/// </summary>
public sealed class ChaosRun(DistributedApplication app, TimeSpan duration, int tablets, Action<string> log)
{
    private static readonly string[] Workflow = ["confirmed", "preparing", "ready", "picked_up", "completed"];
    private static readonly TimeSpan FaultEvery = TimeSpan.FromSeconds(12);
    private static readonly TimeSpan RestartPatience = TimeSpan.FromMinutes(3);

    /// <summary>Requests slower than this are remembered, with when they were sent and how they ended, for the report.</summary>
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long the platform may take to finish its backlog once the traffic stops, and at least as long as the traffic
    /// lasted: the tablets send as fast as the api answers, faster than two cores that also run the api, the hubs and
    /// both stores can send mail, so the backlog grows for the whole run (strict priority leaves the invoices for last).
    /// </summary>
    private static readonly TimeSpan MinimumDrainPatience = TimeSpan.FromMinutes(3);

    /// <summary>In the addresses of the run's restaurant and customer, so that its mails can be told from other tests'.</summary>
    private readonly string _marker = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<long, byte> _accepted = new();
    private readonly ConcurrentDictionary<long, byte> _announced = new();
    private readonly ConcurrentBag<string> _faults = [];
    private readonly ConcurrentBag<Task> _restarts = [];
    private readonly ConcurrentBag<string> _notBack = [];
    private readonly ConcurrentBag<(DateTimeOffset Start, DateTimeOffset End)> _freezes = [];
    private readonly ConcurrentBag<DateTimeOffset> _workerKills = [];
    private readonly ConcurrentBag<(int Status, DateTimeOffset At)> _serverErrors = [];
    private readonly ConcurrentBag<SlowRequest> _slowRequests = [];
    private long _requests;
    private long _unreachable;
    private long _maxLatencyTicks;

    public async Task<ChaosReport> RunAsync(CancellationToken cancellationToken)
    {
        var api = await SignUpAsync(cancellationToken);
        await using var database = NpgsqlDataSource.Create(await app.GetConnectionStringAsync("vsmenudb", cancellationToken) ?? "");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis", cancellationToken) ?? "");
        // A subscriber misses what is published while its connection is down: when it is, the report's misses are its own.
        redis.ConnectionFailed += (_, failed) => log($"{DateTimeOffset.UtcNow:HH:mm:ss} the observer's Redis connection failed ({failed.ConnectionType}, {failed.FailureType})");
        redis.ConnectionRestored += (_, restored) => log($"{DateTimeOffset.UtcNow:HH:mm:ss} the observer's Redis connection is back ({restored.ConnectionType})");
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(BroadcastChannel.For($"private-orders.{api.TenantId}")), (_, message) =>
        {
            var broadcast = BroadcastMessage.FromJson(message.ToString());
            if (broadcast.Event == "order.created")
            {
                _announced.TryAdd(broadcast.Data!["order"]!["id"]!.GetValue<long>(), 0);
            }
        });

        using var smtp4dev = app.CreateHttpClient("smtp4dev", "http");
        var mails = new MailTally(smtp4dev, _marker);
        using var stopReadingMail = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var readingMail = mails.CollectUntilAsync(stopReadingMail.Token);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(duration);
        var traffic = Enumerable.Range(0, tablets).Select(index => TabletAsync(api, index, stop.Token)).ToList();
        await InjectFaultsAsync(stop.Token);
        await Task.WhenAll(traffic);
        await Task.WhenAll(_restarts);

        var drained = Stopwatch.StartNew();
        var drainPatience = duration > MinimumDrainPatience ? duration : MinimumDrainPatience;
        string? stuck = null;
        try
        {
            await PlatformWork.WaitUntilDoneAsync(redis, database, drainPatience);
        }
        catch (TimeoutException)
        {
            // Reported with the rest: what is still waiting, and where, is the finding.
            stuck = string.Join(", ", (await PlatformWork.PendingByPlaceAsync(redis, database)).Where(place => place.Value > 0).Select(place => $"{place.Key} {place.Value}"));
        }

        var drainTime = drained.Elapsed;

        await AnnouncedAsync(TimeSpan.FromSeconds(15));
        await stopReadingMail.CancelAsync();
        await readingMail;
        await mails.CollectUntilReadAsync([.. _accepted.Keys.Select(MailTally.RestaurantNotice)], TimeSpan.FromSeconds(15), cancellationToken);
        return await ReportAsync(api, database, mails, new Backlog(drainTime, drainPatience, stuck), cancellationToken);
    }

    /// <summary>
    /// Gives the observer's subscription time to hand over what Redis has sent it: the relay is done once Redis took its
    /// messages, and after a freeze thousands reach the observer at once and are delivered one after another.
    /// </summary>
    private async Task AnnouncedAsync(TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < patience && _accepted.Keys.Any(id => !_announced.ContainsKey(id)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        }
    }

    private async Task TabletAsync(Restaurant api, int index, CancellationToken stop)
    {
        using var http = api.Tablet(index);
        var random = new Random(index);
        while (!stop.IsCancellationRequested)
        {
            // One order, sent again under the same Idempotency-Key until it is answered, as a tablet does after a dropped connection.
            var order = new
            {
                type = "takeaway",
                customer_id = api.CustomerId,
                payment_method = "cash",
                items = new[] { new { product_id = api.Products[random.Next(api.Products.Length)], quantity = 1 + random.Next(2) } },
            };
            var key = Guid.NewGuid().ToString();
            var (status, body) = await SendAsync(http, HttpMethod.Post, "/api/v1/orders", order, key);
            while (status is 0 or HttpStatusCode.ServiceUnavailable or HttpStatusCode.Conflict or HttpStatusCode.TooManyRequests)
            {
                await Task.Delay(status == HttpStatusCode.TooManyRequests ? 2_000 : 250, CancellationToken.None);
                (status, body) = await SendAsync(http, HttpMethod.Post, "/api/v1/orders", order, key);
            }

            if (status != HttpStatusCode.Created)
            {
                continue;
            }

            var id = body!["data"]!["id"]!.GetValue<long>();
            _accepted.TryAdd(id, 0);
            var steps = random.Next(5) == 0 ? ["cancelled"] : Workflow;
            foreach (var next in steps)
            {
                // A step refused while a store is down is tried again; the order's own rules answer 409 for a repeat that had gone through.
                for (var attempt = 0; attempt < 20; attempt++)
                {
                    var (moved, _) = await SendAsync(http, HttpMethod.Patch, $"/api/v1/orders/{id}",
                        next == "cancelled" ? new { status = next, cancellation_reason = "cliente desistiu" } : (object)new { status = next });
                    if (moved is HttpStatusCode.OK or HttpStatusCode.Conflict)
                    {
                        break;
                    }

                    await Task.Delay(moved == HttpStatusCode.TooManyRequests ? 2_000 : 250, CancellationToken.None);
                }
            }
        }
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> SendAsync(HttpClient http, HttpMethod method, string path, object body, string? idempotencyKey = null)
    {
        Interlocked.Increment(ref _requests);
        var sent = Stopwatch.GetTimestamp();
        var sentAt = DateTimeOffset.UtcNow;
        var outcome = "unreachable";
        try
        {
            using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
            if (idempotencyKey is not null)
            {
                request.Headers.Add("Idempotency-Key", idempotencyKey);
            }

            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            outcome = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if ((int)response.StatusCode >= 500)
            {
                _serverErrors.Add(((int)response.StatusCode, DateTimeOffset.UtcNow));
            }

            return (response.StatusCode, text.Length > 0 ? JsonNode.Parse(text) : null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException)
        {
            // A replica killed under the request: the tablet's connection dropped and it tries again.
            Interlocked.Increment(ref _unreachable);
            return (0, null);
        }
        finally
        {
            var elapsed = Stopwatch.GetTimestamp() - sent;
            if (Stopwatch.GetElapsedTime(sent) is var took && took > Slow)
            {
                _slowRequests.Add(new SlowRequest(sentAt, $"{method} {path}", outcome, took));
            }

            long seen;
            while (elapsed > (seen = Interlocked.Read(ref _maxLatencyTicks)) && Interlocked.CompareExchange(ref _maxLatencyTicks, elapsed, seen) != seen)
            {
            }
        }
    }

    private async Task InjectFaultsAsync(CancellationToken stop)
    {
        var random = new Random(19);
        var schedule = new Func<Task>[]
        {
            () => KillAndRestartAsync("worker"),
            () => FreezeAsync("postgres", async () => await Freezer.FreezePostgresAsync(await app.GetConnectionStringAsync("vsmenudb") ?? "", CancellationToken.None)),
            () => KillAndRestartAsync("api"),
            () => FreezeAsync("redis", async () => await Freezer.FreezeRedisAsync(await app.GetConnectionStringAsync("redis") ?? "")),
            () => KillAndRestartAsync("realtime"),
        };
        // Each fault is due FaultEvery after the one before it was due, not after it ended: a freeze's seconds and a slow
        // kill pushed the fourth fault of a one-minute run past its end on a busy machine (3 faults, CI of session 26).
        var started = Stopwatch.GetTimestamp();
        for (var next = 0; !stop.IsCancellationRequested; next++)
        {
            var untilDue = (FaultEvery * (next + 1)) - Stopwatch.GetElapsedTime(started);
            try
            {
                await Task.Delay(untilDue > TimeSpan.Zero ? untilDue : TimeSpan.Zero, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await schedule[next % schedule.Length]();
        }

        async Task FreezeAsync(string name, Func<Task<Freezer>> freeze)
        {
            var seconds = 5 + random.Next(6);
            var start = DateTimeOffset.UtcNow;
            await using (await freeze())
            {
                await Task.Delay(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            }

            // A 503 is allowed while the store is frozen and for the few seconds it takes the circuits to close again.
            _freezes.Add((start, DateTimeOffset.UtcNow.AddSeconds(3)));
            _faults.Add($"froze {name} {seconds} s");
            log($"{DateTimeOffset.UtcNow:HH:mm:ss} froze {name} for {seconds} s");
        }
    }

    private async Task KillAndRestartAsync(string resource)
    {
        ResourceEvent replica;
        try
        {
            replica = (await app.RunningReplicasAsync(resource, CancellationToken.None))[0];
        }
        catch (TimeoutException notRunning)
        {
            _notBack.Add(notRunning.Message);
            log($"{DateTimeOffset.UtcNow:HH:mm:ss} {notRunning.Message}");
            return;
        }

        // Taken before the kill: a mail that arrived before this moment was sent before it.
        var killedAt = DateTimeOffset.UtcNow;
        await app.KillAsync(replica, CancellationToken.None);
        _faults.Add($"killed {resource} replica");
        if (resource == "worker")
        {
            _workerKills.Add(killedAt);
        }

        log($"{DateTimeOffset.UtcNow:HH:mm:ss} kill -9 {replica.ResourceId}");
        // Restarted while the schedule goes on, as a supervisor would; the run waits for every restart before it checks.
        _restarts.Add(RestartAsync());

        async Task RestartAsync()
        {
            var restarting = Stopwatch.StartNew();
            try
            {
                await app.StartAsync(replica.ResourceId, CancellationToken.None, RestartPatience);
                log($"{DateTimeOffset.UtcNow:HH:mm:ss} {replica.ResourceId} healthy again {restarting.Elapsed.TotalSeconds:0.0} s after its restart");
            }
            catch (TimeoutException notBack)
            {
                _notBack.Add(notBack.Message);
                log($"{DateTimeOffset.UtcNow:HH:mm:ss} {notBack.Message}");
            }
        }
    }

    private async Task<ChaosReport> ReportAsync(Restaurant api, NpgsqlDataSource database, MailTally mails, Backlog backlog, CancellationToken cancellationToken)
    {
        async Task<long> CountAsync(string sql)
        {
            await using var command = database.CreateCommand(sql);
            return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        var tenant = api.TenantId;
        var ordersInDatabase = await CountAsync($"SELECT count(*) FROM orders WHERE tenant_id = {tenant}");
        var acceptedInDatabase = await CountAsync($"SELECT count(*) FROM orders WHERE tenant_id = {tenant} AND id = ANY(ARRAY[{string.Join(',', _accepted.Keys.DefaultIfEmpty(0))}]::bigint[])");
        var linesWithoutOneMovement = await CountAsync($"""
            SELECT count(*) FROM (SELECT o.id, i.product_id FROM orders o JOIN order_items i ON i.order_id = o.id WHERE o.tenant_id = {tenant} GROUP BY o.id, i.product_id) l
            WHERE (SELECT count(*) FROM stock_movements m WHERE m.order_id = l.id AND m.product_id = l.product_id) <> 1
            """);
        var failedJobs = await CountAsync($"SELECT count(*) FROM failed_jobs WHERE tenant_id = {tenant}");
        var failures = new List<string>();
        await using (var failed = database.CreateCommand($"""
            SELECT failed_at, payload::jsonb ->> 'job', split_part(exception, E'\n', 1) FROM failed_jobs WHERE tenant_id = {tenant} ORDER BY failed_at LIMIT 5
            """))
        await using (var reader = await failed.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                failures.Add(string.Create(CultureInfo.InvariantCulture, $"{reader.GetFieldValue<DateTimeOffset>(0):HH:mm:ss} {reader.GetString(1)}: {reader.GetString(2)}"));
            }
        }

        var notAnnounced = _accepted.Keys.Where(id => !_announced.ContainsKey(id)).Order().ToList();
        var notAnnouncedRows = new List<string>();
        await using (var rows = database.CreateCommand($"""
            SELECT (payload -> 'order' ->> 'id')::bigint, created_at, published_at FROM outbox_messages
            WHERE tenant_id = {tenant} AND event = 'order.created' AND (payload -> 'order' ->> 'id')::bigint = ANY(ARRAY[{string.Join(',', notAnnounced.Take(5).DefaultIfEmpty(0))}]::bigint[])
            ORDER BY id
            """))
        await using (var reader = await rows.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                notAnnouncedRows.Add(string.Create(CultureInfo.InvariantCulture,
                    $"#{reader.GetInt64(0)} written {reader.GetFieldValue<DateTimeOffset>(1):HH:mm:ss.fff} published {(reader.IsDBNull(2) ? "never" : reader.GetFieldValue<DateTimeOffset>(2).ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture))}"));
            }
        }

        // A job's mail goes out at least once, not exactly once (JobSteps): a worker killed between a mail's sending and its
        // step's record leaves the step to the next attempt, which sends the same message (same Message-ID) again. So a
        // second copy is the guarantee kept when a worker was killed after the first copy arrived; any other is a double.
        var receivedBySubject = mails.ReceivedBySubject();
        var received = _accepted.Keys.ToDictionary(id => id, id => receivedBySubject[MailTally.RestaurantNotice(id)].ToList());
        bool ResentAfterAKill(IReadOnlyList<DateTimeOffset> copies) =>
            copies.Count == 2 && _workerKills.Any(kill => kill > copies[0] && kill < copies[1]);
        var resent = received.Where(order => ResentAfterAKill(order.Value)).Select(order => order.Key).Order().ToList();
        var mailsOff = received.Where(order => order.Value.Count != 1 && !ResentAfterAKill(order.Value))
            .Select(order => (Id: order.Key, Mails: order.Value.Count)).ToList();

        var outsideFreezes = _serverErrors.Count(error => error.Status != 503 || !_freezes.Any(freeze => error.At >= freeze.Start && error.At <= freeze.End));
        return new ChaosReport(
            [.. _faults], Interlocked.Read(ref _requests), _serverErrors.Count, outsideFreezes, Interlocked.Read(ref _unreachable),
            TimeSpan.FromTicks((long)(Interlocked.Read(ref _maxLatencyTicks) * (TimeSpan.TicksPerSecond / (double)Stopwatch.Frequency))),
            _accepted.Count, ordersInDatabase, acceptedInDatabase, linesWithoutOneMovement,
            notAnnounced.Count, notAnnouncedRows, mailsOff.Count,
            [.. mailsOff.Take(5).Select(order => $"#{order.Id}: {order.Mails}{Times(received[order.Id])}")],
            [.. resent.Take(5).Select(id => $"#{id}:{Times(received[id])}")], resent.Count,
            failedJobs, failures, backlog, [.. _notBack],
            [.. _slowRequests.OrderByDescending(request => request.Took).Take(5)]);
    }

    private static string Times(IEnumerable<DateTimeOffset> moments) =>
        string.Concat(moments.Select(at => string.Create(CultureInfo.InvariantCulture, $" {at:HH:mm:ss.f}")));

    private async Task<Restaurant> SignUpAsync(CancellationToken cancellationToken)
    {
        var address = app.GetEndpoint("api", "http");
        using var owner = new HttpClient { BaseAddress = address };
        owner.DefaultRequestHeaders.Add("X-Forwarded-For", "10.77.0.1");
        async Task<JsonNode> PostAsync(string path, object body)
        {
            using var response = await owner.PostAsJsonAsync(path, body, cancellationToken);
            response.EnsureSuccessStatusCode();
            return JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken))!["data"]!;
        }

        var registered = await PostAsync("/api/v1/auth/register",
            new { restaurant_name = "Caos", name = "Dona", email = $"chaos-{_marker}@example.com", password = "chaos-password" });
        owner.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registered["token"]!.GetValue<string>());
        var category = (await PostAsync("/api/v1/categories", new { name = "Pratos" }))["id"]!.GetValue<long>();
        var products = new long[3];
        for (var i = 0; i < products.Length; i++)
        {
            products[i] = (await PostAsync("/api/v1/products", new { name = $"Prato {i}", price = 20m + i, category_id = category, stock_quantity = 1_000_000 }))["id"]!.GetValue<long>();
        }

        var customer = (await PostAsync("/api/v1/customers", new { name = "Cliente", email = $"cliente-{_marker}@example.com" }))["id"]!.GetValue<long>();
        var tokens = new string[tablets];
        for (var i = 0; i < tablets; i++)
        {
            var email = $"manager-{i}-{Guid.NewGuid():N}@example.com";
            await PostAsync("/api/v1/users", new { name = $"Gerente {i}", email, password = "chaos-password", role = "manager" });
            using var tablet = new HttpClient { BaseAddress = address };
            tablet.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.77.1.{i + 1}");
            using var login = await tablet.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "chaos-password" }, cancellationToken);
            tokens[i] = JsonNode.Parse(await login.Content.ReadAsStringAsync(cancellationToken))!["data"]!["token"]!.GetValue<string>();
        }

        return new Restaurant(address, registered["tenant"]!["id"]!.GetValue<long>(), customer, products, tokens);
    }

    private sealed record Restaurant(Uri Address, long TenantId, long CustomerId, long[] Products, string[] Tokens)
    {
        /// <summary>Tablet <paramref name="index"/>: its own token and address, through the orchestrator's proxy over the api replicas.</summary>
        public HttpClient Tablet(int index)
        {
            var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(15) };
            http.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.77.1.{index + 1}");
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Tokens[index]);
            return http;
        }
    }
}

/// <summary>What a chaos run injected and what it found.</summary>
public sealed record ChaosReport(
    IReadOnlyList<string> Faults, long Requests, int ServerErrors, int ServerErrorsOutsideFreezes, long Unreachable, TimeSpan MaxLatency,
    int OrdersAccepted, long OrdersInDatabase, long AcceptedOrdersInDatabase, long LinesWithoutExactlyOneMovement,
    int AcceptedOrdersNotAnnounced, IReadOnlyList<string> OutboxRowsOfOrdersNotAnnounced, int AcceptedOrdersWithoutExactlyOneMail,
    IReadOnlyList<string> MailsOfOrdersWithoutExactlyOne, IReadOnlyList<string> MailsResentAfterAWorkerKill, int OrdersWithAMailResentAfterAWorkerKill, long FailedJobs, IReadOnlyList<string> Failures, Backlog Backlog, IReadOnlyList<string> NotBack,
    IReadOnlyList<SlowRequest> SlowestRequests)
{
    /// <summary>The checks that failed, each in a few words: nothing lost, doubled or left waiting, every killed replica back, and only 503s while a store was frozen.</summary>
    public IReadOnlyList<string> Broken =>
    [
        .. new (bool Failed, string Check)[]
        {
            (Backlog.StillPending is not null, "jobs still pending"),
            (NotBack.Count > 0, "a killed replica not back"),
            (ServerErrorsOutsideFreezes > 0, "5xx outside a freeze"),
            (OrdersInDatabase != OrdersAccepted || AcceptedOrdersInDatabase != OrdersAccepted, "orders in the database differ from the 201s"),
            (LinesWithoutExactlyOneMovement > 0, "order lines without exactly one stock movement"),
            (AcceptedOrdersNotAnnounced > 0, "accepted orders not announced"),
            (AcceptedOrdersWithoutExactlyOneMail > 0, "accepted orders without exactly one mail"),
            (FailedJobs > 0, "failed jobs"),
        }.Where(check => check.Failed).Select(check => check.Check),
    ];

    public bool Holds => Broken.Count == 0;

    /// <summary>The table, verdict first: CI keeps only a message's first lines.</summary>
    public override string ToString() => string.Join(Environment.NewLine,
        Holds ? "HOLDS: nothing lost or doubled" : $"BROKEN: {string.Join("; ", Broken)}",
        $"faults injected                      {Faults.Count} ({string.Join("; ", Faults.GroupBy(fault => fault.Split(' ')[0] + " " + fault.Split(' ')[1]).Select(group => $"{group.Key} x{group.Count()}"))})",
        $"requests sent                        {Requests}",
        $"5xx answers                          {ServerErrors} ({ServerErrorsOutsideFreezes} not a 503 during a freeze)",
        $"requests cut by a killed replica     {Unreachable}",
        $"max latency                          {MaxLatency.TotalMilliseconds:0} ms",
        $"slowest requests                     {(SlowestRequests.Count == 0 ? "none over 1 s" : string.Join("; ", SlowestRequests))}",
        $"orders answered 201 / in database   {OrdersAccepted} / {OrdersInDatabase} ({AcceptedOrdersInDatabase} of the 201s found)",
        $"order lines without exactly 1 stock movement  {LinesWithoutExactlyOneMovement}",
        $"accepted orders with no order.created seen    {AcceptedOrdersNotAnnounced}{(AcceptedOrdersNotAnnounced == 0 ? "" : $" ({string.Join(", ", OutboxRowsOfOrdersNotAnnounced)})")}",
        $"accepted orders without exactly 1 mail        {AcceptedOrdersWithoutExactlyOneMail}{(AcceptedOrdersWithoutExactlyOneMail == 0 ? "" : $" ({string.Join(", ", MailsOfOrdersWithoutExactlyOne)})")}",
        $"  and with a second copy after a worker kill  {OrdersWithAMailResentAfterAWorkerKill}{(OrdersWithAMailResentAfterAWorkerKill == 0 ? "" : $" ({string.Join(", ", MailsResentAfterAWorkerKill)}: at least once, as JobSteps promises)")}",
        $"failed jobs                          {FailedJobs}{(Failures.Count == 0 ? "" : $" ({string.Join("; ", Failures)})")}",
        Backlog.StillPending is null
            ? $"every job done                       {Backlog.DrainTime.TotalSeconds:0} s after the traffic"
            : $"still pending {Backlog.Patience.TotalMinutes:0} min after the traffic {Backlog.StillPending}",
        $"killed replicas not healthy again    {(NotBack.Count == 0 ? "none" : string.Join("; ", NotBack))}");
}

/// <summary>A request that took over a second: when it was sent (UTC, to set beside the faults' log), what it was, how it ended.</summary>
public sealed record SlowRequest(DateTimeOffset SentAt, string Request, string Outcome, TimeSpan Took)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{SentAt:HH:mm:ss.f} {Request} {Outcome} {Took.TotalMilliseconds:0} ms");
}

/// <summary>How long the platform took to finish its work after the traffic, or what it had not done within its patience.</summary>
public sealed record Backlog(TimeSpan DrainTime, TimeSpan Patience, string? StillPending);
