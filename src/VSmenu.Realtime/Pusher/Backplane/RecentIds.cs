namespace VSmenu.Realtime.Pusher;

/// <summary>
/// The last <paramref name="capacity"/> ids seen, oldest forgotten first: enough to drop a repeat of an outbox event, which
/// the relay publishes at least once (again after a Redis outage, for subscribers that were reconnecting), within the
/// seconds that repeat takes.
/// </summary>
public sealed class RecentIds(int capacity)
{
    private readonly HashSet<long> _seen = new(capacity);
    private readonly Queue<long> _order = new(capacity);
    private readonly Lock _lock = new();

    /// <summary>Remembers <paramref name="id"/>; false when it was seen already.</summary>
    public bool Add(long id)
    {
        lock (_lock)
        {
            if (!_seen.Add(id))
            {
                return false;
            }

            _order.Enqueue(id);
            if (_order.Count > capacity)
            {
                _seen.Remove(_order.Dequeue());
            }

            return true;
        }
    }
}
