using VSmenu.Testing.Telemetry;

namespace VSmenu.IntegrationTests.Telemetry;

/// <summary>The spans of one trace as the dashboard shows them, with the questions the trace tests ask of it.</summary>
public sealed class OrderTrace(IReadOnlyList<ReceivedSpan> spans)
{
    private readonly Dictionary<string, ReceivedSpan> _byId = spans.GroupBy(span => span.SpanId).ToDictionary(group => group.Key, group => group.First());

    public IReadOnlyList<ReceivedSpan> Spans => spans;

    /// <summary>
    /// The trace of the api's request (its span named from <paramref name="requestName"/>) that worked on
    /// order <paramref name="orderId"/>, once it holds a span of each of <paramref name="expected"/>; null until then.
    /// </summary>
    public static OrderTrace? Find(OtlpReceiver telemetry, string requestName, long orderId, params string[] expected)
    {
        var order = orderId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // The api tags the span that worked on the order (the request's, or a sync mutation's); its trace holds the request.
        var traces = telemetry.Spans.Where(span => span.Service == "api" && span.Attribute("vsmenu.order.id") == order).Select(span => span.TraceId).Distinct();
        foreach (var trace in traces.Select(traceId => new OrderTrace(telemetry.Trace(traceId))))
        {
            if (trace.Spans.FirstOrDefault(span => span.Service == "api" && span.Kind is SpanKind.Server && span.Name.StartsWith(requestName, StringComparison.Ordinal)) is { } request)
            {
                return expected.All(name => trace.Spans.Any(span => span.Name == name)) && trace.IsConnected(request) ? trace : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether every span's parent has arrived too (each process exports on its own clock: a delivery can arrive before
    /// the publish it continues); <paramref name="request"/>'s parent may be the caller's, outside the trace.
    /// </summary>
    public bool IsConnected(ReceivedSpan request) =>
        spans.All(span => span.SpanId == request.SpanId || span.ParentSpanId is null || _byId.ContainsKey(span.ParentSpanId));

    /// <summary>The one span named <paramref name="name"/> of <paramref name="service"/> and <paramref name="kind"/>.</summary>
    public ReceivedSpan Single(string service, SpanKind kind, string name)
    {
        var found = spans.Where(span => span.Service == service && span.Kind == kind && span.Name == name).ToList();
        Assert.True(found.Count == 1, $"Expected one {kind} span '{name}' of {service}, found {found.Count} in:\n{this}");
        return found[0];
    }

    /// <summary>Every span named <paramref name="name"/> (a broadcast is delivered by each hub replica).</summary>
    public IReadOnlyList<ReceivedSpan> All(string name) => spans.Where(span => span.Name == name).ToList();

    public ReceivedSpan? Parent(ReceivedSpan span) => span.ParentSpanId is { } parent ? _byId.GetValueOrDefault(parent) : null;

    /// <summary>Whether <paramref name="ancestor"/> is on the way from <paramref name="span"/> up to the root.</summary>
    public bool Descends(ReceivedSpan span, ReceivedSpan ancestor)
    {
        for (var current = Parent(span); current is not null; current = Parent(current))
        {
            if (current.SpanId == ancestor.SpanId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The spans under <paramref name="ancestor"/>, at any depth.</summary>
    public IReadOnlyList<ReceivedSpan> Under(ReceivedSpan ancestor) => spans.Where(span => Descends(span, ancestor)).ToList();

    /// <summary>The trace as an indented tree, for failure messages.</summary>
    public override string ToString()
    {
        var lines = new List<string>();
        void Write(ReceivedSpan span, int depth)
        {
            lines.Add($"{new string(' ', depth * 2)}{span.Service} {span.Kind} {span.Name} [{span.Scope}]");
            foreach (var child in spans.Where(other => other.ParentSpanId == span.SpanId).OrderBy(other => other.Start))
            {
                Write(child, depth + 1);
            }
        }

        foreach (var top in spans.Where(span => Parent(span) is null).OrderBy(span => span.Start))
        {
            Write(top, 0);
        }

        return string.Join('\n', lines);
    }
}
