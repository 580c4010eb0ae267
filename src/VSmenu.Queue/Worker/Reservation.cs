namespace VSmenu.Queue.Worker;

/// <summary>
/// One attempt of a job, held by this worker: <see cref="Member"/> (<c>id|attempt|worker</c>) is the fencing token that
/// every ending of the attempt must present.
/// </summary>
internal sealed class Reservation(string member, int attempt, string payload, long availableAt, TimeSpan lease, string queue, int abandoned)
    : IDisposable
{
    private readonly CancellationTokenSource _lost = new();

    public string Member { get; } = member;

    public string Id { get; } = member[..member.IndexOf('|')];

    /// <summary>How many times the job has been taken, this time included.</summary>
    public int Attempt { get; } = attempt;

    /// <summary>How many of the earlier attempts were abandoned: their worker died, or stopped proving it was alive.</summary>
    public int Abandoned { get; } = abandoned;

    public string Payload { get; } = payload;

    /// <summary>Unix ms since which the job could run.</summary>
    public long AvailableAt { get; } = availableAt;

    public TimeSpan Lease { get; } = lease;

    /// <summary>The queue it was taken from.</summary>
    public string Queue { get; } = queue;

    /// <summary>Fires when a heartbeat finds the lease taken back: the attempt must stop, and can no longer end the job.</summary>
    public CancellationToken Lost => _lost.Token;

    /// <summary>
    /// The attempts that count against the job's tries, this one included: abandoned attempts are not the job's fault
    /// (a worker killed under it), up to <paramref name="abandonsForgiven"/> of them; past that the job is taken to be
    /// what kills its workers, and its tries run out like any failing job's.
    /// </summary>
    public int TriesUsed(int abandonsForgiven) => Attempt - Math.Min(Abandoned, abandonsForgiven);

    /// <summary>
    /// Stops the attempt. The heartbeat looks the reservation up, then calls this; the attempt may end and be disposed in
    /// between (CI saw it: the heartbeat's exception stopped a worker host), and then there is nothing left to stop.
    /// </summary>
    public void MarkLost()
    {
        try
        {
            _lost.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The attempt ended first.
        }
    }

    public void Dispose() => _lost.Dispose();
}
