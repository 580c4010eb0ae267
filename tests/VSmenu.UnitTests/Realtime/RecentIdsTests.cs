using VSmenu.Realtime.Pusher;

namespace VSmenu.UnitTests.Realtime;

public sealed class RecentIdsTests
{
    [Fact]
    public void An_id_seen_before_is_a_repeat()
    {
        var recent = new RecentIds(3);

        Assert.True(recent.Add(7));
        Assert.False(recent.Add(7));
        Assert.True(recent.Add(8));
    }

    [Fact]
    public void The_oldest_id_is_forgotten_past_the_capacity_and_the_others_kept()
    {
        var recent = new RecentIds(2);
        recent.Add(1);
        recent.Add(2);
        recent.Add(3);

        Assert.True(recent.Add(1));
        Assert.False(recent.Add(3));
    }
}
