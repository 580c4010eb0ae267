using System.Diagnostics.Metrics;

namespace VSmenu.Api.Sync;

/// <summary>How the tills keep up: the mutations they push and how each ended, and how far behind a terminal was when it pulled.</summary>
public sealed class SyncMetrics
{
    public const string MeterName = "VSmenu.Api.Sync";

    /// <summary>A mutation sent again after it was applied once: its stored result answered it.</summary>
    public const string Replayed = "replayed";

    private readonly Counter<long> _mutations;
    private readonly Histogram<double> _pullLag;

    public SyncMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _mutations = meter.CreateCounter<long>(
            "vsmenu.sync.mutations", "{mutation}", "Mutations pushed by POS terminals, by name and outcome (applied, rejected, replayed).");
        _pullLag = meter.CreateHistogram<double>(
            "vsmenu.sync.pull.lag", "s", "How old the oldest change a pull returned was: how far behind the terminal had fallen.");
    }

    public void Pushed(string mutation, string outcome) =>
        _mutations.Add(1, new KeyValuePair<string, object?>("mutation", mutation), new KeyValuePair<string, object?>("outcome", outcome));

    public void Pulled(DateTimeOffset oldestChange, DateTimeOffset now) => _pullLag.Record(Math.Max(0, (now - oldestChange).TotalSeconds));
}
