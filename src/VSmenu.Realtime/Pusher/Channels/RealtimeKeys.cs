namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Where the hub's shared state lives in Redis, in one place for C# and for the Lua scripts: the replicas' leases and
/// connection counts, the app's switches, and per replica its channels' subscription counts and presence members.
/// </summary>
public static class RealtimeKeys
{
    public const string Prefix = "vsmenu:rt:";

    /// <summary>Sorted set: each live replica, scored by when its lease lapses (Unix ms).</summary>
    public const string Replicas = Prefix + "replicas";

    /// <summary>Hash: each replica's open connections.</summary>
    public const string Connections = Prefix + "connections";

    /// <summary>Hash: the app's switches, as Pusher's dashboard has them: <c>enabled</c> (0 disables) and <c>connection_quota</c>.</summary>
    public const string App = Prefix + "app";

    /// <summary>
    /// The scripts' shared functions: the per-replica keys (<c>{prefix}{replica}:subs</c>, <c>:presence</c>,
    /// <c>:members:{channel}</c>, and <c>{prefix}info:{channel}</c>), the live replicas, and a user's connections to a
    /// channel summed over them, and a channel's members with their info appended to a script's result. They take their inputs as arguments, so a script passes only what it uses.
    /// </summary>
    public const string LuaFunctions = """
        local function live_replicas(replicas, now) return redis.call('ZRANGEBYSCORE', replicas, now, '+inf') end
        local function subs_key(prefix, replica) return prefix .. replica .. ':subs' end
        local function presence_key(prefix, replica) return prefix .. replica .. ':presence' end
        local function members_key(prefix, replica, channel) return prefix .. replica .. ':members:' .. channel end
        local function info_key(prefix, channel) return prefix .. 'info:' .. channel end
        local function user_connections(prefix, live, channel, user)
          local total = 0
          for _, r in ipairs(live) do total = total + tonumber(redis.call('HGET', members_key(prefix, r, channel), user) or '0') end
          return total
        end
        local function with_members(result, prefix, channel, users)
          for u in pairs(users) do
            table.insert(result, u)
            table.insert(result, redis.call('HGET', info_key(prefix, channel), u) or 'null')
          end
          return result
        end

        """;
}
