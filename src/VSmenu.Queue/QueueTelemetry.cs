using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VSmenu.Queue;

/// <summary>
/// The engine's spans and meters (Horizon's figures): a producer span where a job is dispatched, a consumer span per
/// attempt in the dispatcher's trace (its context travels in the payload), throughput and runtime per job type, wait
/// time, queue depth, reserved jobs, retries, failures and reclaims. The spans carry the messaging attributes but not
/// <c>messaging.system</c>: with it, the Aspire dashboard lists a span as "MSG redis high" instead of its name.
/// </summary>
public static class QueueTelemetry
{
    public const string Name = "VSmenu.Queue";

    internal static readonly ActivitySource Source = new(Name);
    private static readonly Meter Meter = new(Name);

    private static readonly Counter<long> Processed = Meter.CreateCounter<long>(
        "vsmenu.queue.jobs.processed", "{job}", "Attempts that ended, by job type, queue and outcome (done, retried, failed, released).");
    private static readonly Histogram<double> Runtime = Meter.CreateHistogram<double>(
        "vsmenu.queue.job.runtime", "ms", "How long one attempt of a job ran.");
    private static readonly Histogram<double> Wait = Meter.CreateHistogram<double>(
        "vsmenu.queue.job.wait", "ms", "From the moment a job could run (pushed, due, released) to its start.");
    private static readonly Counter<long> Reclaimed = Meter.CreateCounter<long>(
        "vsmenu.queue.jobs.reclaimed", "{job}", "Jobs taken back from a worker whose heartbeat died.");

    private static QueueSizes? _sizes;

    static QueueTelemetry()
    {
        Meter.CreateObservableGauge("vsmenu.queue.depth", () => _sizes is { } sizes
            ? sizes.Ready.Select(queue => new Measurement<long>(queue.Value, new KeyValuePair<string, object?>("queue", queue.Key)))
            : [], "{job}", "Jobs ready to run, per queue.");
        Meter.CreateObservableGauge("vsmenu.queue.delayed", () => _sizes is { } sizes ? [new Measurement<long>(sizes.Delayed)] : Array.Empty<Measurement<long>>(),
            "{job}", "Jobs waiting for their delay or backoff.");
        Meter.CreateObservableGauge("vsmenu.queue.reserved", () => _sizes is { } sizes ? [new Measurement<long>(sizes.Reserved)] : Array.Empty<Measurement<long>>(),
            "{job}", "Jobs running now, on any worker.");
    }

    internal static void RecordSizes(QueueSizes sizes) => _sizes = sizes;

    /// <summary>
    /// A producer span in the trace the job was described in (a request that wrote it to the outbox, a dispatch): the
    /// job's attempts continue from it.
    /// </summary>
    internal static Activity? StartPublish(JobEnvelope envelope)
    {
        var activity = Source.StartActivity($"job {envelope.Job} publish", ActivityKind.Producer, ParentOf(envelope));
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", envelope.Queue);
        activity?.SetTag("messaging.message.id", envelope.Uuid);
        activity?.SetTag(JobSpanAttributes.Tenant, envelope.TenantId);
        return activity;
    }

    internal static Activity? StartBatchPublish(string batchId, string? name, int jobs)
    {
        var activity = Source.StartActivity("batch publish", ActivityKind.Producer);
        activity?.SetTag("messaging.batch.message_count", jobs);
        activity?.SetTag("vsmenu.batch.id", batchId);
        activity?.SetTag("vsmenu.batch.name", name);
        return activity;
    }

    /// <summary>An attempt's span, named by the job and its record: <c>job UpdateInventory #1201</c>.</summary>
    internal static Activity? StartProcess(JobEnvelope envelope, int attempt, IJob job)
    {
        var record = (job as IRecordJob)?.Record;
        var activity = Source.StartActivity(
            record is { } about ? $"job {envelope.Job} #{about.Id}" : $"job {envelope.Job}", ActivityKind.Consumer, ParentOf(envelope));
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", envelope.Queue);
        activity?.SetTag("messaging.message.id", envelope.Uuid);
        activity?.SetTag("vsmenu.job.attempt", attempt);
        activity?.SetTag(JobSpanAttributes.Tenant, envelope.TenantId);
        if (record is { } tagged)
        {
            activity?.SetTag(tagged.Attribute, tagged.Id);
        }

        return activity;
    }

    private static ActivityContext ParentOf(JobEnvelope envelope) =>
        ActivityContext.TryParse(envelope.TraceParent, envelope.TraceState, isRemote: true, out var parent) ? parent : default;

    internal static void RecordWait(JobEnvelope envelope, double milliseconds) =>
        Wait.Record(milliseconds, new("job", envelope.Job), new("queue", envelope.Queue));

    internal static void RecordAttempt(JobEnvelope envelope, string outcome, double runtimeMilliseconds)
    {
        Processed.Add(1, new("job", envelope.Job), new("queue", envelope.Queue), new("outcome", outcome));
        Runtime.Record(runtimeMilliseconds, new KeyValuePair<string, object?>("job", envelope.Job));
    }

    internal static void RecordReclaimed(int count) => Reclaimed.Add(count);
}
