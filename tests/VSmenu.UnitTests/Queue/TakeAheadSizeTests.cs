using VSmenu.Queue.Worker;

namespace VSmenu.UnitTests.Queue;

public sealed class TakeAheadSizeTests
{
    private static readonly TimeSpan Window = TimeSpan.FromMilliseconds(2);

    private static TakeAheadSize After(params double[] jobsMs)
    {
        var size = new TakeAheadSize(Window);
        foreach (var ms in jobsMs)
        {
            size.Record(TimeSpan.FromMilliseconds(ms));
        }

        return size;
    }

    [Fact]
    public void A_slot_that_has_run_nothing_takes_one_job() => Assert.Equal(1, After().Next(int.MaxValue));

    [Fact]
    public void Jobs_of_a_fraction_of_the_window_are_taken_as_many_as_fit() => Assert.Equal(8, After(0.25).Next(int.MaxValue));

    [Fact]
    public void Jobs_of_microseconds_are_taken_at_most_the_cap_at_once() => Assert.Equal(TakeAheadSize.Most, After(0.001).Next(int.MaxValue));

    [Fact]
    public void Jobs_longer_than_the_window_are_taken_one_at_a_time() => Assert.Equal(1, After(40).Next(int.MaxValue));

    [Fact]
    public void No_more_are_taken_than_the_worker_may_still_run() => Assert.Equal(3, After(0.01).Next(jobsLeft: 3));

    [Fact]
    public void A_window_of_zero_takes_one_job_at_a_time() =>
        Assert.Equal(1, new TakeAheadSize(TimeSpan.Zero).Next(int.MaxValue));

    [Fact]
    public void When_the_jobs_turn_slow_the_slot_is_back_to_one_at_a_time_within_a_few_jobs()
    {
        var size = After([.. Enumerable.Repeat(0.01, 100)]);
        Assert.Equal(TakeAheadSize.Most, size.Next(int.MaxValue));

        foreach (var _ in Enumerable.Range(0, 3))
        {
            size.Record(TimeSpan.FromMilliseconds(50));
        }

        Assert.Equal(1, size.Next(int.MaxValue));
    }
}
