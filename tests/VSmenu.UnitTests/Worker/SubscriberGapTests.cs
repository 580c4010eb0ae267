using VSmenu.Worker.Outbox;

namespace VSmenu.UnitTests.Worker;

public sealed class SubscriberGapTests
{
    private static readonly TimeSpan Resubscription = TimeSpan.FromSeconds(10);

    [Fact]
    public void Without_a_stall_nothing_is_repeated()
    {
        var clock = new SteppedClock { Seconds = 100 };
        var gap = new SubscriberGap(clock, Resubscription);

        Assert.False(gap.Answered());
        clock.Seconds = 500;

        Assert.Null(gap.Due());
        Assert.Null(gap.DueIn());
    }

    [Fact]
    public void After_a_stall_what_went_out_since_the_last_answer_before_it_is_due_once_subscribers_have_had_the_window_after_the_thaw()
    {
        var clock = new SteppedClock { Seconds = 100 };
        var gap = new SubscriberGap(clock, Resubscription);
        gap.Answered();
        clock.Seconds = 103;
        gap.Stalled();
        clock.Seconds = 107;

        Assert.Equal(Resubscription, gap.DueIn());
        Assert.True(gap.Answered());
        clock.Seconds = 116;
        Assert.Null(gap.Due());
        Assert.Equal(TimeSpan.FromSeconds(1), gap.DueIn());
        clock.Seconds = 117;

        Assert.Equal(TimeSpan.FromSeconds(17), gap.Due()!.Age);
        Assert.Equal(TimeSpan.Zero, gap.DueIn());
    }

    [Fact]
    public void A_stall_within_the_window_starts_it_again_and_the_gap_still_reaches_back_to_the_first()
    {
        var clock = new SteppedClock { Seconds = 100 };
        var gap = new SubscriberGap(clock, Resubscription);
        gap.Stalled();
        clock.Seconds = 105;
        Assert.True(gap.Answered());
        clock.Seconds = 108;
        gap.Stalled();
        clock.Seconds = 112;

        Assert.True(gap.Answered());
        Assert.False(gap.Answered());
        clock.Seconds = 121;
        Assert.Null(gap.Due());
        clock.Seconds = 122;

        Assert.Equal(TimeSpan.FromSeconds(22), gap.Due()!.Age);
    }

    [Fact]
    public void A_repeat_closes_its_gap_unless_redis_stalled_again_while_it_went_out()
    {
        var clock = new SteppedClock { Seconds = 100 };
        var gap = new SubscriberGap(clock, Resubscription);
        gap.Stalled();
        gap.Answered();
        clock.Seconds = 110;
        var first = gap.Due()!;
        gap.Stalled();
        gap.Repeated(first);

        Assert.NotNull(gap.DueIn());
        Assert.True(gap.Answered());
        clock.Seconds = 120;
        gap.Repeated(gap.Due()!);

        Assert.Null(gap.Due());
        Assert.Null(gap.DueIn());
    }
}
