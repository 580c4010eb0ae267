using StackExchange.Redis;
using VSmenu.Queue;
using VSmenu.Queue.Worker;

namespace VSmenu.UnitTests.Queue;

public sealed class QueueSlotsTests
{
    private static readonly Dictionary<string, int> StockShareOfTwo = new() { [Queues.Stock] = 2 };

    private static QueueSlots Slots(Action? freed = null) =>
        new(Queues.ByPriority, queue => new RedisKey(queue), StockShareOfTwo, freed ?? (() => { }));

    [Fact]
    public void A_queue_with_a_share_is_asked_first_by_as_many_slots_as_its_share_and_by_no_more()
    {
        var slots = Slots();

        var first = slots.ClaimFree();
        first.Keep(Queues.Stock);
        var second = slots.ClaimFree();
        second.Keep(Queues.Stock);
        var third = slots.ClaimFree();

        Assert.Equal([Queues.Stock, Queues.High, Queues.Default, Queues.Low], first.Lists.Select(list => list.ToString()));
        Assert.Equal([Queues.Stock, Queues.High, Queues.Default, Queues.Low], second.Lists.Select(list => list.ToString()));
        Assert.Equal([Queues.High, Queues.Default, Queues.Low], third.Lists.Select(list => list.ToString()));
    }

    [Fact]
    public void A_slot_that_took_from_another_queue_gives_the_share_back_at_once_and_a_job_that_ends_gives_it_back_and_wakes_the_idle()
    {
        var wakes = 0;
        var slots = Slots(() => wakes++);

        slots.ClaimFree().Keep(Queues.High);
        slots.ClaimFree().Keep(null);
        var running = slots.ClaimFree().Keep(Queues.Stock);
        slots.ClaimFree().Keep(Queues.Stock).End();
        var whileOneRuns = slots.ClaimFree();
        whileOneRuns.Keep(Queues.Stock);
        var whileTwoRun = slots.ClaimFree();
        whileTwoRun.Keep(null);
        running.End();
        running.End();

        Assert.Equal(Queues.Stock, whileOneRuns.Lists[0].ToString());
        Assert.DoesNotContain(whileTwoRun.Lists, list => list.ToString() == Queues.Stock);
        Assert.Equal(Queues.Stock, slots.ClaimFree().Lists[0].ToString());
        Assert.Equal(2, wakes);
    }
}
