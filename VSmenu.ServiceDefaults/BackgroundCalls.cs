using System.Diagnostics;
using System.Diagnostics.Metrics;
using OpenTelemetry;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Keeps the background's calls out of the traces and in the metrics. Heartbeats, lease renewals, the queue's wake-up
/// waits and maintenance and the relay's polls call Redis and PostgreSQL outside any request or job, so each call was a
/// trace of its own: an idle topology left hundreds a minute and buried the orders. A client span with no parent is such
/// a call: it is timed in <c>vsmenu.background.call.duration</c> and not exported. So is a span whose parent in this
/// process is not recorded (a probe's <c>/health</c> request, which is filtered out, and its checks' queries): whatever
/// the sampler, a child of what is not recorded would be an orphan on the Traces page. Spans under a request or a job stay.
/// </summary>
public sealed class BackgroundCalls : BaseProcessor<Activity>
{
    public const string MeterName = VsmenuTelemetry.MeterPrefix + "Background";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>(
        "vsmenu.background.call.duration", "ms", "Calls to Redis, PostgreSQL and HTTP that no request or job made (heartbeats, polls, waits), by system.");

    public static bool IsBackground(Activity activity) =>
        activity.Kind is ActivityKind.Client && activity.Parent is null && activity.ParentSpanId == default;

    public override void OnStart(Activity data)
    {
        // Exporters skip what is not recorded; cleared at the start, so that the span's own children see it too.
        if (IsBackground(data) || !ParentRecorded(data))
        {
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }

    public override void OnEnd(Activity data)
    {
        if (IsBackground(data))
        {
            Duration.Record(data.Duration.TotalMilliseconds, new KeyValuePair<string, object?>("system", SystemOf(data)));
        }
    }

    /// <summary>
    /// Whether the parent is recorded: an activity of this process says so itself; a parent known only by its context
    /// (Redis' spans are made after the command, from the context it ran in) by the W3C flags at the end of the id.
    /// </summary>
    private static bool ParentRecorded(Activity activity) => activity.Parent is { } parent
        ? parent.Recorded
        : activity.ParentSpanId == default || activity.ParentId is not { Length: 55 } id || (Convert.ToByte(id[^2..], 16) & 1) == 1;

    private static string SystemOf(Activity activity) =>
        activity.GetTagItem("db.system.name") as string
        ?? activity.GetTagItem("db.system") as string
        ?? (activity.GetTagItem("http.request.method") is not null ? "http" : activity.Source.Name);
}
