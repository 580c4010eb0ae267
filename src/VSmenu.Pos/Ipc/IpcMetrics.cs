using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace VSmenu.Pos.Ipc;

/// <summary>
/// The terminal's own share of each UI call, by channel, as OpenTelemetry's RPC conventions name it: what a UI waits
/// for beyond this is the socket and its own process.
/// </summary>
public sealed class IpcMetrics
{
    public const string MeterName = "VSmenu.Pos";

    public IpcMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        CallDuration = meter.CreateHistogram(
            "rpc.server.call.duration",
            "s",
            "From a UI's call handed to its channel to the channel's answer (before it is serialized and sent).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
    }

    public Histogram<double> CallDuration { get; }

    /// <summary>
    /// One call of <paramref name="channel"/>; <paramref name="errorType"/> is the JSON-RPC error code it answered, left out
    /// for a call that succeeded, as the conventions ask.
    /// </summary>
    public void Record(string channel, TimeSpan duration, string? errorType)
    {
        var tags = new TagList { { "rpc.system", "jsonrpc" }, { "rpc.method", channel } };
        if (errorType is not null)
        {
            tags.Add("error.type", errorType);
        }

        CallDuration.Record(duration.TotalSeconds, tags);
    }
}
