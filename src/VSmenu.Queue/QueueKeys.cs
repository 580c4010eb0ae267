using StackExchange.Redis;

namespace VSmenu.Queue;

/// <summary>
/// The engine's Redis layout. Ids, not payloads, move between the lists and sets, so acks and releases go by id:
/// <list type="bullet">
/// <item><c>job:{id}</c> hash: payload, queue, attempts, timeout, available (unix ms).</item>
/// <item><c>ready:{queue}</c> list of ids; <c>delayed</c> zset id → due; <c>reserved</c> zset <c>id|attempt|worker</c> → lease deadline.</item>
/// <item><c>steps:{uuid}</c> hash of a job's side effects done; <c>steps:{uuid}:{step}</c> the claim of the attempt doing one.</item>
/// <item><c>workers</c> zset worker → heartbeat deadline; <c>failed</c> list of failures not yet stored in PostgreSQL.</item>
/// <item><c>batch:{id}</c> hash of counters and callbacks; <c>batch:{id}:settled</c> set of the jobs counted.</item>
/// </list>
/// </summary>
public sealed class QueueKeys(string prefix)
{
    public string Root { get; } = "{" + prefix + "}:";

    public RedisKey Job(string id) => Root + "job:" + id;

    public RedisKey Ready(string queue) => Root + "ready:" + queue;

    public RedisKey Delayed => Root + "delayed";

    public RedisKey Reserved => Root + "reserved";

    public RedisKey Workers => Root + "workers";

    public RedisKey Failed => Root + "failed";

    public RedisKey Restart => Root + "restart";

    public RedisKey Pushed(string id) => Root + "pushed:" + id;

    public RedisKey Batch(string id) => Root + "batch:" + id;

    public RedisKey BatchSettled(string id) => Root + "batch:" + id + ":settled";

    /// <summary>Hash of the side effects of job <paramref name="uuid"/> that are done, by step name.</summary>
    public RedisKey Steps(string uuid) => Root + "steps:" + uuid;

    /// <summary>The attempt doing step <paramref name="step"/> of job <paramref name="uuid"/> now, while its claim lasts.</summary>
    public RedisKey StepClaim(string uuid, string step) => Root + "steps:" + uuid + ":" + step;

    public RedisKey Schedule(string name, DateTimeOffset occurrence) => Root + "schedule:" + name + ":" + occurrence.ToUnixTimeSeconds();

    /// <summary>Pub/sub channel on which a push into an empty queue wakes idle workers.</summary>
    public RedisChannel Wake => RedisChannel.Literal(Root + "wake");
}
