using System.Diagnostics;
using VSmenu.Data.Orders;
using VSmenu.Queue;
using VSmenu.Queue.Scheduling;

namespace VSmenu.UnitTests.Queue;

public sealed class JobEnvelopeTests
{
    private static readonly TimeProvider Time = TimeProvider.System;

    [Fact]
    public void An_envelope_takes_the_jobs_declared_queue_tries_timeout_and_backoff_and_a_dispatch_overrides_the_queue()
    {
        var envelope = JobEnvelope.For(new SendOrderNotification(3, 7), dispatch: null, Time);
        var moved = JobEnvelope.For(new SendOrderNotification(3, 7), JobDispatch.OnQueue("notifications"), Time);

        Assert.Equal(("SendOrderNotification", Queues.High, 3, 60), (envelope.Job, envelope.Queue, envelope.Tries, envelope.Timeout));
        Assert.Equal([10, 30, 60], envelope.Backoff);
        Assert.Equal(3, envelope.TenantId);
        Assert.Equal("notifications", moved.Queue);
        Assert.NotEqual(envelope.Uuid, moved.Uuid);
    }

    [Fact]
    public void The_backoff_before_each_retry_follows_the_list_and_repeats_its_last_value()
    {
        var envelope = JobEnvelope.For(new SendOrderNotification(3, 7), dispatch: null, Time);

        Assert.Equal(
            [10, 30, 60, 60],
            new[] { 2, 3, 4, 5 }.Select(attempt => envelope.BackoffBefore(attempt).TotalSeconds));
        Assert.Equal(TimeSpan.Zero, (envelope with { Backoff = null }).BackoffBefore(2));
    }

    [Fact]
    public void An_envelope_survives_its_json_and_a_renewal_keeps_the_job_under_a_new_uuid()
    {
        var envelope = JobEnvelope.For(new UpdateInventory(3, 7), dispatch: null, Time);

        var read = JobEnvelope.FromJson(envelope.ToJson());
        var renewed = read.Renewed(Time);

        Assert.Equal((envelope.Uuid, envelope.Job, envelope.Data.GetRawText()), (read.Uuid, read.Job, read.Data.GetRawText()));
        Assert.Equal("{\"tenant_id\":3,\"order_id\":7}", read.Data.GetRawText());
        Assert.NotEqual(read.Uuid, renewed.Uuid);
        Assert.Equal((read.Job, read.Data.GetRawText(), read.Tries), (renewed.Job, renewed.Data.GetRawText(), renewed.Tries));
    }

    [Fact]
    public void A_type_without_the_job_attribute_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => JobDefinition.Of(typeof(string)));

    [Theory]
    [InlineData("0 3 * * *", "2026-11-29T02:59:00Z", "2026-11-29T03:00:00Z")]
    [InlineData("*/5 * * * * *", "2026-11-29T03:00:01Z", "2026-11-29T03:00:05Z")]
    public void Schedules_take_five_fields_or_six_with_seconds(string cron, string after, string next)
    {
        var job = new RecurringJob("x", RecurringJob.ParseSchedule(cron), TimeZoneInfo.Utc, _ => new UpdateInventory(1, 1));

        Assert.Equal(DateTimeOffset.Parse(next, System.Globalization.CultureInfo.InvariantCulture), job.NextAfter(DateTimeOffset.Parse(after, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void An_order_job_s_span_is_named_by_its_order_and_tagged_with_it_while_its_data_stays_the_tenant_and_order()
    {
        var job = new UpdateInventory(3, 7);
        var envelope = JobEnvelope.For(job, dispatch: null, Time);
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == QueueTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);

        using var span = QueueTelemetry.StartProcess(envelope, attempt: 1, job)!;

        Assert.Equal("job UpdateInventory #7", span.DisplayName);
        Assert.Equal((7L, 3L), ((long)span.GetTagItem("vsmenu.order.id")!, (long)span.GetTagItem("vsmenu.tenant.id")!));
        Assert.Equal("""{"tenant_id":3,"order_id":7}""", envelope.Data.GetRawText());
    }
}
