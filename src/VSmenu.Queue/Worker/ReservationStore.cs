using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// What a worker asks for when it reserves: its name, its queues in priority order, how its leases are sized, and how many
/// jobs it takes at most (all from the first of its queues that has any).
/// </summary>
internal sealed record ReserveRequest(string Worker, IReadOnlyList<RedisKey> ReadyLists, TimeSpan DefaultTimeout, TimeSpan Grace, TimeSpan MaxLease, int Count = 1);

/// <summary>The worker's side of the scripts: reserve, end, renew and maintain, each one round trip.</summary>
internal sealed class ReservationStore(IConnectionMultiplexer redis, JobQueue queue, IOptions<QueueOptions> options, TimeProvider time)
{
    private const int FieldsPerReservation = 7;

    private readonly QueueKeys _keys = queue.Keys;
    private readonly long _batchRetention = (long)options.Value.BatchRetention.TotalMilliseconds;

    private IDatabase Database => redis.GetDatabase();

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    public async Task<IReadOnlyList<Reservation>> ReserveAsync(ReserveRequest request)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(QueueScripts.Pop, [_keys.Reserved, .. request.ReadyLists], PopValues(request)))!;
        return ReadReservations(result, 0);
    }

    /// <summary>
    /// Acks <paramref name="done"/> (jobs outside any batch) and reserves the next jobs in one round trip; returns whether
    /// each done job was acked (false: its lease had been taken back), in order, and the jobs reserved.
    /// </summary>
    public async Task<(IReadOnlyList<bool> Acked, IReadOnlyList<Reservation> Next)> CompleteAndReserveAsync(IReadOnlyList<Reservation> done, ReserveRequest request)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            QueueScripts.CompleteAndPop, [_keys.Reserved, .. request.ReadyLists], [.. PopValues(request), .. done.SelectMany(job => new RedisValue[] { job.Member, job.Id })]))!;
        return ([.. result.Take(done.Count).Select(acked => (int)acked == 1)], ReadReservations(result, done.Count));
    }

    private RedisValue[] PopValues(ReserveRequest request) =>
    [
        _keys.Root, request.Worker, Now, (long)request.DefaultTimeout.TotalMilliseconds, (long)request.Grace.TotalMilliseconds,
        (long)request.MaxLease.TotalMilliseconds, request.Count,
    ];

    private static List<Reservation> ReadReservations(RedisResult[] result, int at)
    {
        var count = (int)result[at];
        var reservations = new List<Reservation>(count);
        for (var field = at + 1; reservations.Count < count; field += FieldsPerReservation)
        {
            reservations.Add(new Reservation(
                (string)result[field]!, (int)result[field + 1], (string)result[field + 2]!, (long)result[field + 3],
                TimeSpan.FromMilliseconds((long)result[field + 4]), (string)result[field + 5]!, (int)result[field + 6]));
        }

        return reservations;
    }

    public async Task<bool> CompleteAsync(Reservation reservation, string? batchId) =>
        await SettleAsync(reservation, batchId, "done", failure: "");

    public async Task<bool> FailAsync(Reservation reservation, string? batchId, string failure) =>
        await SettleAsync(reservation, batchId, "failed", failure);

    private async Task<bool> SettleAsync(Reservation reservation, string? batchId, string outcome, string failure)
    {
        RedisKey[] keys = batchId is null
            ? [_keys.Reserved, _keys.Job(reservation.Id)]
            : [_keys.Reserved, _keys.Job(reservation.Id), _keys.Batch(batchId), _keys.BatchSettled(batchId)];
        var settled = await Database.ScriptEvaluateAsync(
            QueueScripts.Settle, keys,
            [reservation.Member, reservation.Id, outcome, failure, _keys.Root, Now, _keys.Wake.ToString(), _batchRetention]);
        return (int)settled == 1;
    }

    /// <summary>Gives the job back to run again after <paramref name="delay"/>; <paramref name="refund"/> returns the attempt.</summary>
    public async Task<bool> ReleaseAsync(Reservation reservation, string queue, TimeSpan delay, bool refund)
    {
        var now = Now;
        var released = await Database.ScriptEvaluateAsync(
            QueueScripts.Release,
            [_keys.Reserved, _keys.Job(reservation.Id), _keys.Delayed, _keys.Ready(queue)],
            [reservation.Member, reservation.Id, now + (long)delay.TotalMilliseconds, now, _keys.Wake.ToString(), queue, refund ? 1 : 0]);
        return (int)released == 1;
    }

    /// <summary>Renews this worker's heartbeat and the given leases; returns the restart signal (unix ms) and the members lost.</summary>
    public async Task<(long RestartSignal, IReadOnlyList<string> Lost)> HeartbeatAsync(
        string worker, TimeSpan aliveFor, IReadOnlyCollection<Reservation> running)
    {
        var now = Now;
        var values = new List<RedisValue>(5 + (running.Count * 2)) { worker, now + (long)aliveFor.TotalMilliseconds, now, _keys.Root, _keys.Wake.ToString() };
        foreach (var reservation in running)
        {
            values.Add(reservation.Member);
            values.Add(now + (long)reservation.Lease.TotalMilliseconds);
        }

        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            QueueScripts.Heartbeat, [_keys.Workers, _keys.Reserved, _keys.Restart], [.. values]))!;
        return ((long)result[0], ((RedisResult[])result[1]!).Select(member => (string)member!).ToList());
    }

    /// <summary>Promotes due jobs and reclaims dead workers' jobs; returns how many were reclaimed and when the next delayed job is due.</summary>
    public async Task<(int Reclaimed, long NextDue)> MaintainAsync(int limit, TimeSpan heartbeatLife)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(
            QueueScripts.Maintain, [_keys.Delayed, _keys.Reserved, _keys.Workers],
            [_keys.Root, Now, limit, _keys.Wake.ToString(), (long)heartbeatLife.TotalMilliseconds]))!;
        return (((RedisResult[])result[1]!).Length, (long)result[2]);
    }
}
