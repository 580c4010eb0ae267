using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VSmenu.Testing.Telemetry.Otlp;

namespace VSmenu.Testing.Telemetry;

/// <summary>
/// An OTLP/HTTP collector in the test process: the services export their spans and metrics to it as they would to the
/// dashboard, and tests and benchmarks read what arrived (by trace, or all of it) and wait on it.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly ConcurrentQueue<ReceivedSpan> _spans = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ReceivedSpan>> _traces = new();
    private readonly ConcurrentDictionary<(string Service, string Name), ReceivedMetric> _metrics = new();
    private TaskCompletionSource _arrived = NewSignal();

    private OtlpReceiver(WebApplication server) => _server = server;

    public Uri Endpoint { get; private set; } = null!;

    /// <summary>What a service's environment needs to export here, often (every half second), over OTLP/HTTP.</summary>
    public IReadOnlyDictionary<string, string> ExporterEnvironment => new Dictionary<string, string>
    {
        ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Endpoint.ToString().TrimEnd('/'),
        ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        ["OTEL_BSP_SCHEDULE_DELAY"] = "500",
        ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
    };

    /// <summary>Every span received so far, in order of arrival (a moment's snapshot, read without copying).</summary>
    public IEnumerable<ReceivedSpan> Spans => _spans;

    public int SpanCount => _spans.Count;

    public IReadOnlyCollection<ReceivedMetric> Metrics => [.. _metrics.Values];

    public static async Task<OtlpReceiver> StartAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var server = builder.Build();
        var receiver = new OtlpReceiver(server);
        server.MapPost("/v1/traces", async (HttpRequest request) =>
            receiver.Receive(ExportTraceServiceRequest.Parser.ParseFrom(await ReadAsync(request))));
        server.MapPost("/v1/metrics", async (HttpRequest request) =>
            receiver.Receive(ExportMetricsServiceRequest.Parser.ParseFrom(await ReadAsync(request))));
        server.MapPost("/v1/logs", () => Accepted());
        await server.StartAsync(cancellationToken);
        var address = server.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        receiver.Endpoint = new Uri(address);
        return receiver;
    }

    /// <summary>The spans of one trace received so far.</summary>
    public IReadOnlyList<ReceivedSpan> Trace(string traceId) => _traces.TryGetValue(traceId, out var spans) ? [.. spans] : [];

    /// <summary>
    /// Waits until <paramref name="until"/> holds of what has arrived, checking again on each export, and returns it; a
    /// <see cref="TimeoutException"/> after <paramref name="patience"/> says what was last seen.
    /// </summary>
    public async Task<T> WaitForAsync<T>(Func<OtlpReceiver, T?> until, TimeSpan patience, CancellationToken cancellationToken, Func<OtlpReceiver, string>? describe = null)
        where T : class
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(patience);
        while (true)
        {
            var next = _arrived.Task;
            if (until(this) is { } found)
            {
                return found;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"Not received within {patience.TotalSeconds:0} s. {describe?.Invoke(this)}");
            }
        }
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private static async Task<byte[]> ReadAsync(HttpRequest request)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        return body.ToArray();
    }

    /// <summary>An empty export response: protobuf encodes a message with nothing in it as no bytes.</summary>
    private static IResult Accepted() => Results.Bytes([], "application/x-protobuf");

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private IResult Receive(ExportTraceServiceRequest export)
    {
        foreach (var resource in export.ResourceSpans)
        {
            var (service, instance) = NameOf(resource.Resource);
            foreach (var (scope, span) in resource.ScopeSpans.SelectMany(scope => scope.Spans.Select(span => (scope.Scope?.Name ?? "", span))))
            {
                var received = new ReceivedSpan(
                    service,
                    instance,
                    scope,
                    Hex(span.TraceId),
                    Hex(span.SpanId),
                    span.ParentSpanId.IsEmpty ? null : Hex(span.ParentSpanId),
                    span.Name,
                    (SpanKind)span.Kind,
                    span.Attributes.ToDictionary(attribute => attribute.Key, attribute => Text(attribute.Value)),
                    [.. span.Links.Select(link => Hex(link.SpanId))],
                    DateTimeOffset.UnixEpoch.AddTicks((long)(span.StartTimeUnixNano / 100)),
                    DateTimeOffset.UnixEpoch.AddTicks((long)(span.EndTimeUnixNano / 100)));
                _spans.Enqueue(received);
                _traces.GetOrAdd(received.TraceId, _ => new()).Enqueue(received);
            }
        }

        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
        return Accepted();
    }

    private IResult Receive(ExportMetricsServiceRequest export)
    {
        foreach (var resource in export.ResourceMetrics)
        {
            var (service, _) = NameOf(resource.Resource);
            foreach (var metric in resource.ScopeMetrics.SelectMany(scope => scope.Metrics))
            {
                _metrics[(service, metric.Name)] = new ReceivedMetric(service, metric.Name, metric.Unit, metric.Description);
            }
        }

        Interlocked.Exchange(ref _arrived, NewSignal()).TrySetResult();
        return Accepted();
    }

    private static (string Service, string Instance) NameOf(Resource resource)
    {
        string? Attribute(string key) => resource.Attributes.FirstOrDefault(attribute => attribute.Key == key)?.Value.StringValue;
        var service = Attribute("service.name") ?? "unknown";
        return (service, Attribute("service.instance.id") ?? service);
    }

    private static string Hex(ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    private static string Text(AnyValue value) => value.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => "",
    };
}

/// <summary>OTLP's span kinds, by their numbers on the wire.</summary>
public enum SpanKind
{
    Unspecified = 0,
    Internal = 1,
    Server = 2,
    Client = 3,
    Producer = 4,
    Consumer = 5,
}

/// <summary>
/// A span as a service exported it: <paramref name="Service"/> is its <c>service.name</c> (the AppHost's resource),
/// <paramref name="Scope"/> the activity source that made it.
/// </summary>
public sealed record ReceivedSpan(
    string Service,
    string Instance,
    string Scope,
    string TraceId,
    string SpanId,
    string? ParentSpanId,
    string Name,
    SpanKind Kind,
    IReadOnlyDictionary<string, string> Attributes,
    IReadOnlyList<string> LinkedSpanIds,
    DateTimeOffset Start,
    DateTimeOffset End)
{
    public bool IsRoot => ParentSpanId is null;

    public string? Attribute(string key) => Attributes.GetValueOrDefault(key);
}

/// <summary>A metric a service described: its name, unit and description as the dashboard shows them.</summary>
public sealed record ReceivedMetric(string Service, string Name, string Unit, string Description);
