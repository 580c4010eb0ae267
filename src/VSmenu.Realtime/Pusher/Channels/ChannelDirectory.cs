using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Realtime.Pusher;

/// <summary>The result of joining a presence channel: refused when full, otherwise whether this is the user's first connection and who is there.</summary>
public sealed record PresenceJoin(bool Refused, bool FirstConnectionOfUser, IReadOnlyList<PresenceMember> Members);

/// <summary>
/// What every hub replica must agree on, kept in Redis: which channels have subscribers and who is on each presence
/// channel, counted per replica under a lease that the replica renews. A replica that stops renewing (crashed) is
/// expired by the others, and its presence members leave with it. Presence is counted by user across replicas, so
/// <c>member_added</c>/<c>member_removed</c> go out once per user however many tabs and replicas they use.
/// </summary>
/// <remarks>
/// The scripts name keys they compute (<see cref="RealtimeKeys.LuaFunctions"/>), which a single Redis (not a cluster)
/// allows.
/// </remarks>
public sealed class ChannelDirectory(IConnectionMultiplexer redis, IOptions<HubOptions> options, TimeProvider clock)
{
    private static readonly LuaScript RenewScript = Script("""
        redis.call('ZADD', @replicas, @lease, @replica)
        redis.call('HSET', @connectionCounts, @replica, @count)
        local elsewhere = 0
        for _, r in ipairs(live_replicas(@replicas, @now)) do
          if r ~= @replica then elsewhere = elsewhere + tonumber(redis.call('HGET', @connectionCounts, r) or '0') end
        end
        local app = redis.call('HMGET', @app, 'enabled', 'connection_quota')
        return {elsewhere, app[1] or '1', app[2] or '0'}
        """);

    private static readonly LuaScript JoinScript = Script("""
        local users, mine = {}, 0
        for _, r in ipairs(live_replicas(@replicas, @now)) do
          local all = redis.call('HGETALL', members_key(@prefix, r, @channel))
          for i = 1, #all, 2 do
            users[all[i]] = true
            if all[i] == @user then mine = mine + tonumber(all[i + 1]) end
          end
        end
        if mine == 0 then
          local count = 0
          for _ in pairs(users) do count = count + 1 end
          if count >= tonumber(@max) then return { -1 } end
        end
        redis.call('HINCRBY', members_key(@prefix, @replica, @channel), @user, 1)
        redis.call('SADD', presence_key(@prefix, @replica), @channel)
        redis.call('HSET', info_key(@prefix, @channel), @user, @info)
        users[@user] = true
        return with_members({ mine == 0 and 1 or 0 }, @prefix, @channel, users)
        """);

    private static readonly LuaScript LeaveScript = Script("""
        local key = members_key(@prefix, @replica, @channel)
        if redis.call('HINCRBY', key, @user, -1) <= 0 then redis.call('HDEL', key, @user) end
        if redis.call('HLEN', key) == 0 then redis.call('SREM', presence_key(@prefix, @replica), @channel) end
        if user_connections(@prefix, live_replicas(@replicas, @now), @channel, @user) == 0 then
          redis.call('HDEL', info_key(@prefix, @channel), @user)
          return 1
        end
        return 0
        """);

    /// <summary>A channel's count of this replica's subscriptions, removed when it reaches zero: junk names leave nothing behind.</summary>
    private static readonly LuaScript CountSubscriptionScript = Script("""
        local key = subs_key(@prefix, @replica)
        if redis.call('HINCRBY', key, @channel, @delta) <= 0 then redis.call('HDEL', key, @channel) end
        """);

    private static readonly LuaScript ExpireScript = Script("""
        local dead = redis.call('ZRANGEBYSCORE', @replicas, '-inf', '(' .. @now)
        local live = live_replicas(@replicas, @now)
        local left = {}
        for _, r in ipairs(dead) do
          for _, c in ipairs(redis.call('SMEMBERS', presence_key(@prefix, r))) do
            local key = members_key(@prefix, r, c)
            for _, u in ipairs(redis.call('HKEYS', key)) do
              if user_connections(@prefix, live, c, u) == 0 then
                redis.call('HDEL', info_key(@prefix, c), u)
                table.insert(left, c)
                table.insert(left, u)
              end
            end
            redis.call('DEL', key)
          end
          redis.call('DEL', presence_key(@prefix, r), subs_key(@prefix, r))
          redis.call('ZREM', @replicas, r)
        end
        return left
        """);

    private static readonly LuaScript MembersScript = Script("""
        local users = {}
        for _, r in ipairs(live_replicas(@replicas, @now)) do
          for _, u in ipairs(redis.call('HKEYS', members_key(@prefix, r, @channel))) do users[u] = true end
        end
        return with_members({}, @prefix, @channel, users)
        """);

    private static readonly LuaScript SubscriptionsScript = Script("""
        local counts = {}
        for _, r in ipairs(live_replicas(@replicas, @now)) do
          local all = redis.call('HGETALL', subs_key(@prefix, r))
          for i = 1, #all, 2 do counts[all[i]] = (counts[all[i]] or 0) + tonumber(all[i + 1]) end
        end
        local result = {}
        for c, n in pairs(counts) do
          if n > 0 then
            table.insert(result, c)
            table.insert(result, n)
          end
        end
        return result
        """);

    private readonly HubOptions _options = options.Value;

    /// <summary>This replica's name in Redis, new for every process.</summary>
    public string ReplicaId { get; } = Guid.NewGuid().ToString("N")[..12];

    private IDatabase Database => redis.GetDatabase();

    private long Now => clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Renews this replica's lease and publishes its connection count; returns the connections on the other live
    /// replicas and the app's switches (<c>vsmenu:rt:app</c>: <c>enabled</c>, <c>connection_quota</c>).
    /// </summary>
    public async Task<LeaseState> RenewLeaseAsync(int connections)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(RenewScript, new
        {
            replicas = (RedisKey)RealtimeKeys.Replicas,
            connectionCounts = (RedisKey)RealtimeKeys.Connections,
            app = (RedisKey)RealtimeKeys.App,
            replica = ReplicaId,
            now = Now,
            lease = Now + (long)_options.ReplicaLease.TotalMilliseconds,
            count = connections,
        }))!;
        return new LeaseState((long)result[0], (string?)result[1] != "0", int.TryParse((string?)result[2], out var quota) ? quota : 0);
    }

    /// <summary>Lets this replica's lease lapse now, so that the next expiry removes what it counted.</summary>
    public async Task ResignAsync()
    {
        await Database.SortedSetAddAsync(RealtimeKeys.Replicas, ReplicaId, 0);
        await Database.HashDeleteAsync(RealtimeKeys.Connections, ReplicaId);
    }

    public void CountSubscription(string channel, int delta) =>
        Database.ScriptEvaluate(CountSubscriptionScript, new { prefix = RealtimeKeys.Prefix, replica = ReplicaId, channel, delta }, flags: CommandFlags.FireAndForget);

    public async Task<PresenceJoin> JoinPresenceAsync(string channel, PresenceMember member)
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(JoinScript, Arguments(channel, member.UserId, member.UserInfo?.ToJsonString() ?? "null")))!;
        return (long)result[0] == -1
            ? new PresenceJoin(Refused: true, FirstConnectionOfUser: false, [])
            : new PresenceJoin(Refused: false, (long)result[0] == 1, ReadMembers(result.Skip(1)));
    }

    /// <summary>Removes one connection of the user; true when it was their last on any replica.</summary>
    public async Task<bool> LeavePresenceAsync(string channel, string userId) =>
        (long)await Database.ScriptEvaluateAsync(LeaveScript, Arguments(channel, userId)) == 1;

    public async Task<IReadOnlyList<PresenceMember>> MembersAsync(string channel) =>
        ReadMembers((RedisResult[])(await Database.ScriptEvaluateAsync(MembersScript, Arguments(channel, "")))!);

    /// <summary>Subscriptions per occupied channel, over every live replica.</summary>
    public async Task<IReadOnlyDictionary<string, long>> SubscriptionCountsAsync()
    {
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(SubscriptionsScript, Arguments("", "")))!;
        return Enumerable.Range(0, result.Length / 2).ToDictionary(i => (string)result[2 * i]!, i => (long)result[(2 * i) + 1], StringComparer.Ordinal);
    }

    /// <summary>Expires replicas whose lease lapsed; returns the presence members that left with them.</summary>
    public async Task<IReadOnlyList<(string Channel, string UserId)>> ExpireLapsedReplicasAsync()
    {
        var left = (RedisResult[])(await Database.ScriptEvaluateAsync(ExpireScript, Arguments("", "")))!;
        return Enumerable.Range(0, left.Length / 2).Select(i => ((string)left[2 * i]!, (string)left[(2 * i) + 1]!)).ToList();
    }

    /// <summary>Every script's parameters, by the names the scripts use.</summary>
    private object Arguments(string channel, string user, string info = "null") => new
    {
        replicas = (RedisKey)RealtimeKeys.Replicas,
        prefix = RealtimeKeys.Prefix,
        replica = ReplicaId,
        channel,
        user,
        now = Now,
        info,
        max = _options.MaxPresenceMembers,
    };

    private static LuaScript Script(string body) => LuaScript.Prepare(RealtimeKeys.LuaFunctions + body);

    private static List<PresenceMember> ReadMembers(IEnumerable<RedisResult> pairs)
    {
        var flat = pairs.ToArray();
        return Enumerable.Range(0, flat.Length / 2)
            .Select(i => new PresenceMember((string)flat[2 * i]!, JsonNode.Parse((string)flat[(2 * i) + 1]!)))
            .OrderBy(member => member.UserId, StringComparer.Ordinal)
            .ToList();
    }
}
