using VSmenu.Queue.Worker;

namespace VSmenu.UnitTests.Queue;

public sealed class ReservationTests
{
    [Fact]
    public void A_lease_lost_after_the_attempt_ended_and_was_disposed_is_a_no_op_not_an_exception_that_stops_the_worker()
    {
        var reservation = new Reservation("42|1|worker-a", 1, "{}", 0, TimeSpan.FromSeconds(30), "default", 0);
        reservation.Dispose();

        reservation.MarkLost();
    }

    [Fact]
    public void A_lease_lost_while_the_attempt_runs_cancels_it()
    {
        using var reservation = new Reservation("42|1|worker-a", 1, "{}", 0, TimeSpan.FromSeconds(30), "default", 0);

        reservation.MarkLost();

        Assert.True(reservation.Lost.IsCancellationRequested);
    }
}
