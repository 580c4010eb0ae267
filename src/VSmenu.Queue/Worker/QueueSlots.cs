using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// A worker's share of slots per queue (<see cref="QueueWorkerOptions.Limits"/>), a cap and a reserve at once: before it
/// reserves, a slot claims a permit of each limited queue that has one free and reserves only from the queues it could
/// claim, so two slots can never both take the last place of a queue; and it asks the limited queues it claimed first,
/// so that up to its share of slots serve such a queue whenever it has jobs, rather than only once every queue above it
/// is empty (a rush keeps <c>high</c> full for minutes, and strict priority alone would leave the stock untouched).
/// The permit of the queue a slot took a job from is held until that job ends.
/// </summary>
internal sealed class QueueSlots
{
    private readonly IReadOnlyList<(string Name, RedisKey List, SemaphoreSlim? Permits)> _queues;
    private readonly Action _freed;

    /// <summary>The slots of <paramref name="queues"/>; <paramref name="freed"/> is called when a limited queue's place comes free, so that idle slots look again.</summary>
    public QueueSlots(IReadOnlyList<string> queues, Func<string, RedisKey> readyList, IReadOnlyDictionary<string, int> limits, Action freed)
    {
        _queues = queues.Select(name => (name, readyList(name), limits.TryGetValue(name, out var limit) ? new SemaphoreSlim(Math.Max(0, limit)) : null)).ToList();
        _freed = freed;
    }

    /// <summary>
    /// The ready lists a slot may reserve from now, with the permits it holds for them: the limited queues it claimed, then
    /// the unlimited ones, each group in priority order.
    /// </summary>
    public Claim ClaimFree()
    {
        var claimed = new List<RedisKey>(_queues.Count);
        var unlimited = new List<RedisKey>(_queues.Count);
        var held = new List<(string, SemaphoreSlim)>();
        foreach (var (name, list, permits) in _queues)
        {
            if (permits is null)
            {
                unlimited.Add(list);
            }
            else if (permits.Wait(0))
            {
                claimed.Add(list);
                held.Add((name, permits));
            }
        }

        return new Claim([.. claimed, .. unlimited], held, _freed);
    }

    /// <summary>
    /// What a slot claimed: <see cref="Keep"/> keeps the permit of the queue its job came from (released when the job ends)
    /// and gives back every other one.
    /// </summary>
    public sealed class Claim(IReadOnlyList<RedisKey> lists, List<(string Queue, SemaphoreSlim Permits)> held, Action freed)
    {
        public IReadOnlyList<RedisKey> Lists { get; } = lists;

        public Held Keep(string? queue)
        {
            SemaphoreSlim? kept = null;
            foreach (var (name, permits) in held)
            {
                if (kept is null && string.Equals(name, queue, StringComparison.Ordinal))
                {
                    kept = permits;
                }
                else
                {
                    permits.Release();
                }
            }

            return new Held(kept, freed);
        }
    }

    /// <summary>The permit a running job holds, if its queue is limited; ending it frees the place and wakes idle slots.</summary>
    public sealed class Held(SemaphoreSlim? permits, Action freed)
    {
        private SemaphoreSlim? _permits = permits;

        public void End()
        {
            if (Interlocked.Exchange(ref _permits, null) is { } permits)
            {
                permits.Release();
                freed();
            }
        }
    }
}
