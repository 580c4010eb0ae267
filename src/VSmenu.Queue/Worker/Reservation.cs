namespace VSmenu.Queue.Worker;

/// <summary>
/// One attempt of a job, held by this worker: <see cref="Member"/> (<c>id|attempt|worker</c>) is the fencing token that
/// every ending of the attempt must present.
/// </summary>
internal sealed class Reservation(string member, int attempt, string payload, long availableAt, TimeSpan lease, string queue) : IDisposable
{
    private readonly CancellationTokenSource _lost = new();

    public string Member { get; } = member;

    public string Id { get; } = member[..member.IndexOf('|')];

    public int Attempt { get; } = attempt;

    public string Payload { get; } = payload;

    /// <summary>Unix ms since which the job could run.</summary>
    public long AvailableAt { get; } = availableAt;

    public TimeSpan Lease { get; } = lease;

    /// <summary>The queue it was taken from.</summary>
    public string Queue { get; } = queue;

    /// <summary>Fires when a heartbeat finds the lease taken back: the attempt must stop, and can no longer end the job.</summary>
    public CancellationToken Lost => _lost.Token;

    public void MarkLost() => _lost.Cancel();

    public void Dispose() => _lost.Dispose();
}
