using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace VSmenu.Bench.Realtime;

/// <summary>What one rate step of a fan-out run measured, over its counting window.</summary>
internal sealed record FanOutStep(int EventsPerSecond, double OfferedPerSecond, double DeliveredPerSecond, double LatencyP50, double LatencyP99)
{
    /// <summary>Delivered about as fast as offered (within 5 %, the window edges catch up or trail): the server kept up.</summary>
    public bool KeptUp => DeliveredPerSecond >= OfferedPerSecond * 0.95;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{EventsPerSecond,3} events/s: offered {OfferedPerSecond,9:N0}/s, delivered {DeliveredPerSecond,9:N0}/s, publish -> frame p50 {LatencyP50:0.0} ms, p99 {LatencyP99:0.0} ms");
}

/// <summary>
/// Fan-out to many sockets of one server: ticks published on a fixed schedule (catching up on missed slots, so the offered
/// rate is what was asked for), deliveries counted by arrival in a window after a warm-up; every
/// <paramref name="latencySampleEvery"/>th socket also reads each tick's <c>sent</c> stamp for the publish -> frame latency.
/// </summary>
internal sealed class FanOutRun(int sockets, TimeSpan warmUp, TimeSpan window, int latencySampleEvery = 100) : IAsyncDisposable
{
    private readonly List<double> _latencies = [];
    private readonly Lock _latencyGate = new();
    private BenchSockets? _clients;
    private long _deliveries;
    private long _allDeliveries;
    private int _subscribed;
    private volatile bool _counting;

    /// <summary>Opens the sockets, each sending <paramref name="subscribe"/> once connected, and waits for <paramref name="expectSubscriptions"/> confirmations if asked.</summary>
    public async Task<TimeSpan> OpenAsync(Uri address, string? subscribe, bool expectSubscriptions)
    {
        var opening = Stopwatch.StartNew();
        _clients = new BenchSockets(OnFrame);
        await _clients.OpenAsync(address, sockets, parallel: 100, (_, _) => subscribe is null ? [] : [subscribe]);
        if (expectSubscriptions)
        {
            await Wait.UntilAsync(() => Volatile.Read(ref _subscribed) == sockets, $"{sockets} subscriptions");
        }

        return opening.Elapsed;
    }

    /// <summary>Publishes <paramref name="eventsPerSecond"/> ticks a second through <paramref name="publish"/> (sequence, Stopwatch stamp) and measures.</summary>
    public async Task<FanOutStep> StepAsync(int eventsPerSecond, Func<long, long, Task> publish)
    {
        lock (_latencyGate)
        {
            _latencies.Clear();
        }

        Interlocked.Exchange(ref _deliveries, 0);
        var sequence = 0L;
        var published = 0L;
        var clock = Stopwatch.StartNew();
        var countedFrom = TimeSpan.Zero;
        var end = warmUp + window;
        while (clock.Elapsed < end)
        {
            if (!_counting && clock.Elapsed >= warmUp)
            {
                countedFrom = clock.Elapsed;
                _counting = true;
            }

            var due = (long)(clock.Elapsed.TotalSeconds * eventsPerSecond) + 1;
            while (sequence < due)
            {
                await publish(++sequence, Stopwatch.GetTimestamp());
                if (_counting)
                {
                    published++;
                }
            }

            // Read the clock once: a wait computed from two readings can come out as -1 ms, which Task.Delay takes as forever.
            var wait = TimeSpan.FromSeconds((double)sequence / eventsPerSecond) - clock.Elapsed;
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait);
            }
        }

        _counting = false;
        var counted = clock.Elapsed - countedFrom;
        var delivered = Interlocked.Read(ref _deliveries);
        await DrainAsync();
        double[] sorted;
        lock (_latencyGate)
        {
            sorted = [.. _latencies.Order()];
        }

        return new FanOutStep(eventsPerSecond, published * sockets / counted.TotalSeconds, delivered / counted.TotalSeconds,
            Percentiles.Of(sorted, 0.5), Percentiles.Of(sorted, 0.99));
    }

    /// <summary>Lets a backlog from the step before finish (no delivery for half a second), so steps do not overlap.</summary>
    private async Task DrainAsync()
    {
        var last = Interlocked.Read(ref _allDeliveries);
        while (true)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(500));
            var now = Interlocked.Read(ref _allDeliveries);
            if (now == last)
            {
                return;
            }

            last = now;
        }
    }

    private void OnFrame(int client, ReadOnlySpan<byte> frame, long receivedAt)
    {
        if (FrameEvent.Is(frame, "tick"u8))
        {
            Interlocked.Increment(ref _allDeliveries);
            if (_counting)
            {
                Interlocked.Increment(ref _deliveries);
                if (client % latencySampleEvery == 0)
                {
                    var sent = JsonNode.Parse(JsonNode.Parse(frame)!["data"]!.GetValue<string>())!["sent"]!.GetValue<long>();
                    lock (_latencyGate)
                    {
                        _latencies.Add(Stopwatch.GetElapsedTime(sent, receivedAt).TotalMilliseconds);
                    }
                }
            }
        }
        else if (FrameEvent.Is(frame, "pusher_internal:subscription_succeeded"u8))
        {
            Interlocked.Increment(ref _subscribed);
        }
    }

    public ValueTask DisposeAsync() => _clients?.DisposeAsync() ?? ValueTask.CompletedTask;
}
