namespace VSmenu.Queue.Worker;

/// <summary>
/// How many jobs a slot reserves in one round trip: as many as it expects to run within <paramref name="window"/>, by the
/// time its recent jobs took (a moving average), at least one and at most <see cref="Most"/>. A slot that has run nothing
/// yet, or whose jobs each take longer than the window, takes one job at a time. Jobs of microseconds then share a round
/// trip to Redis, which at one slot costs far more than they do, while a job taken ahead waits only about a window behind
/// the slot's others.
/// </summary>
internal sealed class TakeAheadSize(TimeSpan window)
{
    public const int Most = 32;

    /// <summary>The weight of the newest job in the average: the size follows a change of job within a few jobs.</summary>
    private const double NewestWeight = 0.2;

    private double _averageMs = double.NaN;

    public void Record(TimeSpan jobTook)
    {
        var ms = jobTook.TotalMilliseconds;
        _averageMs = double.IsNaN(_averageMs) ? ms : _averageMs + (NewestWeight * (ms - _averageMs));
    }

    /// <param name="jobsLeft">How many more jobs the worker may run (<c>--max-jobs</c>).</param>
    public int Next(int jobsLeft)
    {
        if (double.IsNaN(_averageMs) || window <= TimeSpan.Zero)
        {
            return 1;
        }

        var fits = window.TotalMilliseconds / Math.Max(_averageMs, 0.001);
        return (int)Math.Clamp(Math.Floor(fits), 1, Math.Max(1, Math.Min(Most, jobsLeft)));
    }
}
