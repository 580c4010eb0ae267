using System.Diagnostics;
using System.Net;
using VSmenu.IntegrationTests.Api;
using VSmenu.IntegrationTests.Realtime;
using VSmenu.Testing;
using VSmenu.Testing.Telemetry;

namespace VSmenu.IntegrationTests.Telemetry;

/// <summary>
/// What the dashboard's Traces page shows, read from the OTLP export of the real topology: an order is one trace, from the
/// api's request through the outbox relay to each hub replica's delivery and to every job with its calls out, and the
/// background (heartbeats, polls, probes) leaves no trace of its own.
/// </summary>
public sealed class TraceTests(TopologyFixture topology)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_new_order_is_one_trace_from_the_request_to_the_hub_s_delivery_and_each_job_with_its_calls_out()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(25.50m);
        var addressId = await owner.CreateAddressAsync(menu.CustomerId);
        var kitchen = $"private-kitchen.{owner.TenantId}";
        await using var cook = await RealtimeTests.SubscribePrivateAsync(topology, owner, kitchen);

        var orderId = (await owner.PostAsync("/api/v1/orders", new
        {
            type = "delivery",
            customer_id = menu.CustomerId,
            delivery_address_id = addressId,
            payment_method = "credit_card",
            items = new[] { new { product_id = menu.Products[0], quantity = 2 } },
        })).AssertStatus(HttpStatusCode.Created).Id;
        await cook.NextAsync("order.created", kitchen);

        string[] jobs = ["SendOrderNotification", "UpdateInventory", "SyncWithExternalAPI"];
        // Each process exports in its own time: the trace is complete once the cook's hub replica and the sandbox have.
        var trace = await WaitForTraceAsync("POST /api/v1/orders", orderId,
            [$"order.created deliver private-orders.{owner.TenantId}", $"sync.changed publish private-sync.{owner.TenantId}", .. jobs.Select(job => $"job {job} #{orderId}")],
            complete: found => found.All($"order.created deliver {kitchen}").Any(delivery => delivery.Attribute("vsmenu.realtime.sockets") == "1")
                && found.Spans.Any(SandboxAnswered));

        var request = trace.Spans.Single(span => span.Service == "api" && span.Kind is SpanKind.Server);
        Assert.Equal((orderId.ToString(), owner.TenantId.ToString()), (request.Attribute("vsmenu.order.id"), request.Attribute("vsmenu.tenant.id")));
        foreach (var channel in new[] { kitchen, $"private-orders.{owner.TenantId}" })
        {
            AssertDelivered(trace, request, "order.created", channel);
        }

        Assert.True(trace.Descends(trace.Single("worker", SpanKind.Producer, $"sync.changed publish private-sync.{owner.TenantId}"), request), trace.ToString());

        foreach (var job in jobs)
        {
            var process = AssertJob(trace, request, job, orderId);
            Assert.Equal(owner.TenantId.ToString(), process.Attribute("vsmenu.tenant.id"));
        }

        var mail = trace.Under(trace.Single("worker", SpanKind.Consumer, $"job SendOrderNotification #{orderId}"));
        Assert.Contains(mail, span => span.Kind is SpanKind.Client && span.Scope.StartsWith("MailKit", StringComparison.Ordinal));
        var marketplace = trace.Under(trace.Single("worker", SpanKind.Consumer, $"job SyncWithExternalAPI #{orderId}"));
        var call = Assert.Single(marketplace, span => span.Kind is SpanKind.Client && span.Attribute("http.request.method") is not null);
        Assert.Contains(trace.Spans, span => SandboxAnswered(span) && span.ParentSpanId == call.SpanId);
    }

    [Fact]
    public async Task A_status_change_is_one_trace_from_the_request_to_its_delivery_and_the_payment_job_s_call()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(25.50m);
        var orderId = (await owner.PostAsync("/api/v1/orders", new
        {
            type = "takeaway",
            customer_id = menu.CustomerId,
            payment_method = "pix",
            items = new[] { new { product_id = menu.Products[0], quantity = 1 } },
        })).AssertStatus(HttpStatusCode.Created).Id;

        (await owner.PatchAsync($"/api/v1/orders/{orderId}", new { status = "confirmed" })).AssertStatus(HttpStatusCode.OK);

        var kitchen = $"private-kitchen.{owner.TenantId}";
        var trace = await WaitForTraceAsync(
            "PATCH /api/v1/orders", orderId, [$"order.status.changed deliver {kitchen}", $"job ProcessPayment #{orderId}"], complete: found => found.Spans.Any(SandboxAnswered));
        var request = trace.Spans.Single(span => span.Service == "api" && span.Kind is SpanKind.Server);
        AssertDelivered(trace, request, "order.status.changed", kitchen);
        var payment = AssertJob(trace, request, "ProcessPayment", orderId);
        Assert.Contains(trace.Under(payment), SandboxAnswered);
    }

    [Fact]
    public async Task An_order_pushed_by_a_terminal_is_traced_from_its_mutation_to_its_delivery_and_jobs()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var (dish, customer) = await owner.CreateStockedDishAsync("Feijoada", 30.00m, stock: 10);
        var pushed = (await owner.PostAsync("/api/v1/sync/push", new
        {
            client_id = Guid.NewGuid(),
            mutations = new[]
            {
                new
                {
                    id = 1,
                    name = "orders.create",
                    args = new { client_id = Guid.CreateVersion7(), type = "takeaway", customer_id = customer, items = new[] { new { product_id = dish, quantity = 1, price = 30.00m } } },
                },
            },
        })).AssertStatus(HttpStatusCode.OK);
        var orderId = pushed.Data["results"]![0]!["record"]!["id"]!.GetValue<long>();

        var kitchen = $"private-kitchen.{owner.TenantId}";
        var trace = await WaitForTraceAsync("POST /api/v1/sync/push", orderId, [$"order.created deliver {kitchen}", $"job UpdateInventory #{orderId}"]);
        var mutation = trace.Single("api", SpanKind.Internal, "sync orders.create");
        Assert.Equal(orderId.ToString(), mutation.Attribute("vsmenu.order.id"));
        AssertDelivered(trace, mutation, "order.created", kitchen);
        AssertJob(trace, mutation, "UpdateInventory", orderId);
    }

    [Fact]
    public async Task Background_calls_leave_no_trace_of_their_own_and_are_counted_in_a_metric_instead()
    {
        // Heartbeats, lease renewals, the queue's waits, the relay's polls and the probes run all the time; once the
        // worker and the hub have reported their metric, any trace they made would have been exported too.
        string[] services = ["api", "worker", "realtime"];
        await topology.Telemetry.WaitForAsync(
            telemetry => new[] { "worker", "realtime" }.All(service => telemetry.Metrics.Any(metric => metric.Service == service && metric.Name == "vsmenu.background.call.duration"))
                ? telemetry
                : null,
            Patience,
            Cancellation,
            telemetry => $"Background metrics from: {string.Join(", ", telemetry.Metrics.Where(metric => metric.Name == "vsmenu.background.call.duration").Select(metric => metric.Service))}");

        // A trace that is somebody's work has a request, a job or a message in it; one of client calls alone is noise.
        // A request's server span ends, and is exported, up to a batch after the calls made under it, so a trace counts
        // as noise only if it stays client calls alone: the check passes once a snapshot holds none.
        await topology.Telemetry.WaitForAsync(
            telemetry => BackgroundTraces(telemetry, services).Count == 0 ? telemetry : null,
            TimeSpan.FromSeconds(10),
            Cancellation,
            telemetry =>
            {
                var noise = BackgroundTraces(telemetry, services);
                return $"{noise.Count} background traces, e.g.: {string.Join("; ", noise.Take(10).Select(span => $"{span.Service} {span.Kind} {span.Name} [{span.Scope}] parent {span.ParentSpanId ?? "none"}"))}";
            });
    }

    [Fact]
    public async Task A_websocket_s_request_is_not_traced_even_when_its_client_sends_a_sampled_traceparent()
    {
        // Its span would last as long as the connection and be exported only when it closes, with what the socket did.
        var replica = VsmenuTopology.DirectAddress((await topology.ReplicasAsync("realtime"))[0].Snapshot)!;
        var socketTrace = ActivityTraceId.CreateRandom();
        await using (var kitchen = await PusherClient.ConnectAsync(topology, replica: replica, traceParent: SampledTraceParent(socketTrace)))
        {
            await kitchen.SubscribeAsync("kitchen-display");
            await kitchen.NextAsync("pusher_internal:subscription_succeeded", "kitchen-display");
        }

        // The hub's close frame, which the disposal waits for, is the last thing its request sends: a request made to the
        // same replica after it ends after the socket's and is exported with or after anything the socket left.
        var laterTrace = ActivityTraceId.CreateRandom();
        using var http = new HttpClient { BaseAddress = replica };
        using var later = new HttpRequestMessage(HttpMethod.Get, "/app/not-a-socket");
        later.Headers.Add("traceparent", SampledTraceParent(laterTrace));
        Assert.Equal(HttpStatusCode.BadRequest, (await http.SendAsync(later, Cancellation)).StatusCode);
        await topology.Telemetry.WaitForAsync(
            telemetry => telemetry.Spans.Any(span => span.TraceId == laterTrace.ToHexString()) ? telemetry : null, Patience, Cancellation, _ => "the later request's span");

        Assert.Empty(topology.Telemetry.Spans.Where(span => span.TraceId == socketTrace.ToHexString()).Select(span => $"{span.Service} {span.Kind} {span.Name}"));
    }

    private static string SampledTraceParent(ActivityTraceId traceId) => $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01";

    /// <summary>The first span of each trace of client and internal spans alone in one of <paramref name="services"/>.</summary>
    private static List<ReceivedSpan> BackgroundTraces(OtlpReceiver telemetry, string[] services) =>
        telemetry.Spans.GroupBy(span => span.TraceId)
            .Where(trace => trace.All(span => span.Kind is SpanKind.Client or SpanKind.Internal) && trace.Any(span => services.Contains(span.Service)))
            .Select(trace => trace.OrderBy(span => span.Start).First())
            .ToList();

    /// <summary>
    /// The trace of <paramref name="requestName"/> for the order once it holds a span named each of <paramref name="expected"/>
    /// and, if given, <paramref name="complete"/> holds of it.
    /// </summary>
    private async Task<OrderTrace> WaitForTraceAsync(string requestName, long orderId, string[] expected, Func<OrderTrace, bool>? complete = null) =>
        await topology.Telemetry.WaitForAsync(
            telemetry => OrderTrace.Find(telemetry, requestName, orderId, expected) is { } trace && (complete?.Invoke(trace) ?? true) ? trace : null,
            Patience,
            Cancellation,
            telemetry => $"Expected {string.Join(", ", expected)} in the trace of {requestName} for order {orderId}; received {telemetry.SpanCount} spans.");

    /// <summary>A request served by the sandbox (the payment gateway, the marketplace).</summary>
    private static bool SandboxAnswered(ReceivedSpan span) => span.Service == "sandbox" && span.Kind is SpanKind.Server;

    /// <summary>The relay published the event on the channel in the request's trace, and each hub replica's delivery continues from that publish.</summary>
    private static void AssertDelivered(OrderTrace trace, ReceivedSpan request, string eventName, string channel)
    {
        var publish = trace.Single("worker", SpanKind.Producer, $"{eventName} publish {channel}");
        Assert.True(trace.Descends(publish, request), trace.ToString());
        var deliveries = trace.All($"{eventName} deliver {channel}");
        Assert.NotEmpty(deliveries);
        Assert.All(deliveries, delivery =>
        {
            Assert.Equal(("realtime", SpanKind.Consumer, publish.SpanId), (delivery.Service, delivery.Kind, delivery.ParentSpanId));
            Assert.Equal(channel, delivery.Attribute("messaging.destination.name"));
            Assert.Equal(request.Attribute("vsmenu.tenant.id") ?? trace.Parent(request)?.Attribute("vsmenu.tenant.id"), delivery.Attribute("vsmenu.tenant.id"));
        });
    }

    /// <summary>The job's attempt continues from its publish, which is in the request's trace; returns the attempt's span.</summary>
    private static ReceivedSpan AssertJob(OrderTrace trace, ReceivedSpan request, string job, long orderId)
    {
        var process = trace.Single("worker", SpanKind.Consumer, $"job {job} #{orderId}");
        Assert.Equal(orderId.ToString(), process.Attribute("vsmenu.order.id"));
        var publish = trace.Parent(process);
        Assert.True(publish is { Kind: SpanKind.Producer } && publish.Name == $"job {job} publish" && trace.Descends(publish, request), trace.ToString());
        return process;
    }
}
