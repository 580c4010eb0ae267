using VSmenu.Testing;
using VSmenu.Testing.Telemetry;

namespace VSmenu.Bench.Api;

/// <summary>
/// Where a request's time goes inside the api under load: the topology exports to an OTLP receiver while the tablets post
/// orders, then list them, and each POST's and GET's trace is read as a line of calls out (PostgreSQL statements, Redis
/// commands) and of waits between them. A wait between two calls is time in the api itself: its CPU, its locks, its queue for a core.
/// </summary>
internal static class SpanBench
{
    private const int Rows = 16;

    /// <summary>Orders left mails, stock takes and broadcasts to do: the GETs wait for them, as in <c>bench/api.sh</c>.</summary>
    private static readonly TimeSpan BacklogPatience = TimeSpan.FromMinutes(10);

    public static async Task RunAsync(BenchSettings settings)
    {
        await using var receiver = await OtlpReceiver.StartAsync(CancellationToken.None);
        await using var app = await VsmenuTopology.StartAsync(
            resourceLogs: null, receiver.ExporterEnvironment.Concat(BenchSettings.EdgeAtLoad).ToDictionary(), CancellationToken.None);
        var restaurant = await BenchRestaurant.SignUpAsync(app, settings.Clients);
        Console.WriteLine(settings);
        var (post, list) = await MailSink.KeepEmptyWhileAsync(app, async () =>
        {
            await LoadRun.RunAsync(settings.Clients, TimeSpan.FromSeconds(settings.WarmUpSeconds), _ => restaurant.PostOrderAsync());
            var post = await TracedRun.OfAsync(settings, () => restaurant.PostOrderAsync());
            var drained = await PlatformWork.WaitUntilDoneAsync(app, BacklogPatience);
            Console.WriteLine($"the platform's work left by the POSTs took {drained.TotalSeconds:0.0} s more to finish");
            return (post, await TracedRun.OfAsync(settings, () => restaurant.ListOrdersAsync()));
        });

        var spans = receiver.Spans.ToList();
        var children = spans.Where(span => span.ParentSpanId is not null).ToLookup(span => (span.TraceId, span.ParentSpanId));
        PrintRequests("POST /api/v1/orders (3 items)", "POST", post, spans, children);
        PrintRequests("GET  /api/v1/orders?include=items,customer", "GET", list, spans, children);
    }

    private static void PrintRequests(string request, string method, TracedRun run, List<ReceivedSpan> spans, ILookup<(string, string?), ReceivedSpan> children)
    {
        Console.WriteLine($"{request}  {run.Result}");
        var requests = spans.Where(span => span is { Service: "api", Kind: SpanKind.Server } && span.Name.StartsWith(method, StringComparison.Ordinal)
            && span.Start >= run.From && span.End <= run.To).ToList();
        var calls = new Dictionary<string, List<double>>();
        var waits = new Dictionary<string, List<double>>();
        foreach (var traced in requests)
        {
            var previous = "(request starts)";
            var cursor = traced.Start;
            foreach (var call in CallsOut(traced, children).OrderBy(call => call.Start))
            {
                var label = Label(call);
                Add(waits, $"{previous}  ->  {label}", Math.Max(0, (call.Start - cursor).TotalMilliseconds));
                Add(calls, label, (call.End - call.Start).TotalMilliseconds);
                previous = label;
                cursor = call.End > cursor ? call.End : cursor;
            }

            Add(waits, $"{previous}  ->  (response)", (traced.End - cursor).TotalMilliseconds);
        }

        var count = requests.Count;
        Console.WriteLine($"{count} {method}s traced, {requests.Average(traced => (traced.End - traced.Start).TotalMilliseconds):0.0} ms each on average:");
        Console.WriteLine($"  in calls out {calls.Values.Sum(list => list.Sum()) / count,7:0.0} ms, waiting in the api between them {waits.Values.Sum(list => list.Sum()) / count,7:0.0} ms");
        PrintRows($"calls out: ms per {method}, times per {method}, mean ms, p50 ms", calls, count);
        PrintRows($"waits in the api, after -> before: ms per {method}, times per {method}, mean ms, p50 ms", waits, count);
    }

    /// <summary>A closed-loop run and the span of time whose requests are read from the export.</summary>
    private sealed record TracedRun(LoadResult Result, DateTimeOffset From, DateTimeOffset To)
    {
        public static async Task<TracedRun> OfAsync(BenchSettings settings, Func<Task<bool>> request)
        {
            var from = DateTimeOffset.UtcNow;
            var result = await LoadRun.RunAsync(settings.Clients, settings.Duration, _ => request());
            return new TracedRun(result, from, DateTimeOffset.UtcNow);
        }
    }

    /// <summary>The api's client spans under <paramref name="request"/>, at any depth.</summary>
    private static IEnumerable<ReceivedSpan> CallsOut(ReceivedSpan request, ILookup<(string, string?), ReceivedSpan> children)
    {
        var pending = new Stack<ReceivedSpan>([request]);
        while (pending.TryPop(out var span))
        {
            foreach (var child in children[(span.TraceId, span.SpanId)].Where(child => child.Service == "api"))
            {
                pending.Push(child);
                if (child.Kind == SpanKind.Client)
                {
                    yield return child;
                }
            }
        }
    }

    private static string Label(ReceivedSpan call)
    {
        var text = string.Join(' ', (call.Attribute("db.query.text") ?? call.Name).Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries));
        return text.Length > 48 ? text[..48] : text;
    }

    private static void Add(Dictionary<string, List<double>> into, string key, double milliseconds)
    {
        if (!into.TryGetValue(key, out var list))
        {
            into[key] = list = [];
        }

        list.Add(milliseconds);
    }

    private static void PrintRows(string title, Dictionary<string, List<double>> rows, int traced)
    {
        Console.WriteLine($"  {title}");
        foreach (var (key, list) in rows.OrderByDescending(row => row.Value.Sum()).Take(Rows))
        {
            var sorted = list.Order().ToArray();
            Console.WriteLine($"    {list.Sum() / traced,7:0.0} {list.Count / (double)traced,6:0.00} {list.Average(),7:0.0} {Percentiles.Of(sorted, 0.5),7:0.0}  {key}");
        }
    }
}
