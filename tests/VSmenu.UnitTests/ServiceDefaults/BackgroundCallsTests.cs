using System.Diagnostics;
using Microsoft.Extensions.Hosting;

namespace VSmenu.UnitTests.ServiceDefaults;

/// <summary>Which spans the exporters get: a request's and a job's calls, never a lone background call or a child of what was not recorded.</summary>
public sealed class BackgroundCallsTests : IDisposable
{
    private readonly ActivitySource _source = new($"{nameof(BackgroundCallsTests)}.{Guid.NewGuid():N}");
    private readonly ActivityListener _listener;
    private readonly BackgroundCalls _processor = new();

    public BackgroundCallsTests()
    {
        // Every span recorded, as Aspire's always_on sampler does: the processor alone decides what is exported.
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source == _source,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = _processor.OnStart,
            ActivityStopped = _processor.OnEnd,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public void A_call_that_no_request_or_job_made_is_not_exported()
    {
        using var heartbeat = _source.StartActivity("EVAL", ActivityKind.Client)!;

        Assert.False(heartbeat.Recorded);
    }

    [Fact]
    public void A_request_and_the_calls_it_makes_are_exported()
    {
        using var request = _source.StartActivity("POST /api/v1/orders", ActivityKind.Server)!;
        using var query = _source.StartActivity("postgresql", ActivityKind.Client)!;

        Assert.True(request.Recorded);
        Assert.True(query.Recorded);
    }

    [Fact]
    public void A_job_continuing_a_recorded_trace_and_its_calls_are_exported()
    {
        var dispatched = ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", null);
        using var job = _source.StartActivity("job UpdateInventory #12", ActivityKind.Consumer, dispatched)!;
        using var call = _source.StartActivity("EVAL", ActivityKind.Client)!;

        Assert.True(job.Recorded);
        Assert.True(call.Recorded);
    }

    [Fact]
    public void The_children_of_a_span_that_is_not_recorded_are_not_either_whether_known_as_an_activity_or_by_context()
    {
        using var probe = _source.StartActivity("GET /health", ActivityKind.Server)!;
        probe.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        using var query = _source.StartActivity("postgresql", ActivityKind.Client)!;
        var unsampledCaller = ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-00", null);
        using var command = _source.StartActivity("SETEX", ActivityKind.Client, unsampledCaller)!;

        Assert.False(query.Recorded);
        Assert.False(command.Recorded);
    }

    public void Dispose()
    {
        _listener.Dispose();
        _source.Dispose();
        _processor.Dispose();
    }
}
