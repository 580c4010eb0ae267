namespace VSmenu.Queue;

/// <summary>
/// The engine's Lua scripts. Each state change of a job is one script, so it is atomic: a crash between two
/// commands cannot lose or double a job. Every script that ends a reservation first removes its exact
/// <c>id|attempt|worker</c> member from <c>reserved</c>: a worker whose lease was reclaimed finds it gone and changes
/// nothing (the attempt number is the fencing token). Keys other than those passed are built from the common
/// <c>{prefix}</c> root, so they share its hash slot.
/// </summary>
internal static class QueueScripts
{
    /// <summary>
    /// KEYS: job, ready list, delayed, pushed-marker. ARGV: id, payload, queue, timeout ms, due ms (0 = now), now ms,
    /// de-duplication window ms (0 = none), wake channel. Returns 0 when the marker says it was pushed already.
    /// </summary>
    public const string Push = """
        if ARGV[7] ~= '0' and not redis.call('SET', KEYS[4], '1', 'NX', 'PX', ARGV[7]) then return 0 end
        local due = tonumber(ARGV[5])
        local available = due > 0 and due or tonumber(ARGV[6])
        redis.call('HSET', KEYS[1], 'payload', ARGV[2], 'queue', ARGV[3], 'attempts', 0, 'timeout', ARGV[4], 'available', available)
        if due > 0 then
          redis.call('ZADD', KEYS[3], due, ARGV[1])
        elseif redis.call('RPUSH', KEYS[2], ARGV[1]) == 1 then
          redis.call('PUBLISH', ARGV[8], ARGV[3])
        end
        return 1
        """;

    /// <summary>
    /// <c>take()</c>: takes up to ARGV[7] ids from the head of the first non-empty ready list, counts each one's attempt and
    /// leases it. KEYS: reserved, ready lists in the order to ask them. ARGV: root, worker, now ms, default timeout ms,
    /// grace ms, longest lease ms, how many. Returns <c>{n, then n times member, attempt, payload, available, lease, queue,
    /// abandoned}</c>, <c>{0}</c> when all are empty.
    /// </summary>
    private const string Take = """
        local function take()
          local pop = {'LMPOP', #KEYS - 1}
          for i = 2, #KEYS do pop[#pop + 1] = KEYS[i] end
          pop[#pop + 1] = 'LEFT'
          pop[#pop + 1] = 'COUNT'
          pop[#pop + 1] = ARGV[7]
          local popped = redis.call(unpack(pop))
          local taken = {0}
          if not popped then return taken end
          for _, id in ipairs(popped[2]) do
            local job = ARGV[1] .. 'job:' .. id
            local fields = redis.call('HMGET', job, 'payload', 'timeout', 'available', 'queue', 'abandoned')
            if fields[1] then
              local attempt = redis.call('HINCRBY', job, 'attempts', 1)
              local timeout = tonumber(fields[2])
              if timeout == 0 then timeout = tonumber(ARGV[4]) end
              local lease = math.min(timeout + tonumber(ARGV[5]), tonumber(ARGV[6]))
              local member = id .. '|' .. attempt .. '|' .. ARGV[2]
              redis.call('ZADD', KEYS[1], tonumber(ARGV[3]) + lease, member)
              taken[1] = taken[1] + 1
              for _, value in ipairs({member, attempt, fields[1], fields[3], lease, fields[4], tonumber(fields[5] or '0')}) do
                taken[#taken + 1] = value
              end
            end
          end
          return taken
        end
        """;

    /// <summary>Reserves jobs as <see cref="Take"/> describes: KEYS and ARGV are its own, and so is the answer.</summary>
    public const string Pop = Take + "\nreturn take()";

    /// <summary>
    /// Acks done jobs outside any batch and takes the next ones in the same round trip, so a worker that has work pays one
    /// round trip per reservation rather than two. KEYS and ARGV as <see cref="Take"/>, then ARGV: (member, job id) of each
    /// done job. Returns <c>{ack of each done job (1, or 0 when its lease had been lost),
    /// then Take's answer}</c>.
    /// </summary>
    public const string CompleteAndPop = Take + """

        local answer = {}
        for i = 8, #ARGV, 2 do
          local acked = redis.call('ZREM', KEYS[1], ARGV[i])
          if acked == 1 then redis.call('DEL', ARGV[1] .. 'job:' .. ARGV[i + 1]) end
          answer[#answer + 1] = acked
        end
        for _, value in ipairs(take()) do answer[#answer + 1] = value end
        return answer
        """;

    /// <summary>
    /// Ends a reservation for good: done, or failed (the failure is queued for PostgreSQL's <c>failed_jobs</c>). A
    /// batch job is counted once (the settled set), and the batch's <c>then</c>/<c>catch</c>/<c>finally</c> jobs are
    /// pushed here, in the same step, so each is pushed exactly once. KEYS: reserved, job[, batch, batch settled].
    /// ARGV: member, id, outcome (done|failed), failure entry, root, now ms, wake channel, batch retention ms.
    /// </summary>
    public const string Settle = """
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
        redis.call('DEL', KEYS[2])
        local root = ARGV[5]
        if ARGV[3] == 'failed' then redis.call('LPUSH', root .. 'failed', ARGV[4]) end
        if #KEYS < 4 or redis.call('SADD', KEYS[4], ARGV[2]) == 0 then return 1 end
        local function push(kind)
          local callback = redis.call('HMGET', KEYS[3], kind .. '_id', kind .. '_queue', kind .. '_payload', kind .. '_timeout')
          if not callback[1] then return end
          redis.call('HSET', root .. 'job:' .. callback[1], 'payload', callback[3], 'queue', callback[2], 'attempts', 0, 'timeout', callback[4], 'available', ARGV[6])
          if redis.call('RPUSH', root .. 'ready:' .. callback[2], callback[1]) == 1 then redis.call('PUBLISH', ARGV[7], callback[2]) end
        end
        local pending, failed
        if ARGV[3] == 'done' then
          pending = redis.call('HINCRBY', KEYS[3], 'pending', -1)
          failed = tonumber(redis.call('HGET', KEYS[3], 'failed'))
          if pending == 0 then push('then') end
        else
          failed = redis.call('HINCRBY', KEYS[3], 'failed', 1)
          pending = tonumber(redis.call('HGET', KEYS[3], 'pending'))
          if failed == 1 then push('catch') end
        end
        if pending - failed == 0 then
          redis.call('HSET', KEYS[3], 'finished_at', ARGV[6])
          push('finally')
          redis.call('PEXPIRE', KEYS[3], ARGV[8])
          redis.call('PEXPIRE', KEYS[4], ARGV[8])
        end
        return 1
        """;

    /// <summary>
    /// Ends a reservation with another try later (backoff) or now (a worker stopping gives the job back, and the
    /// attempt with it). A job given back now with its attempt refunded goes to the head of its list: it was next in line.
    /// KEYS: reserved, job, delayed, ready list. ARGV: member, id, due ms, now ms, wake channel, queue, refund the attempt (1|0).
    /// </summary>
    public const string Release = """
        if redis.call('ZREM', KEYS[1], ARGV[1]) == 0 then return 0 end
        if ARGV[7] == '1' then redis.call('HINCRBY', KEYS[2], 'attempts', -1) end
        local due = tonumber(ARGV[3])
        if due > tonumber(ARGV[4]) then
          redis.call('HSET', KEYS[2], 'available', due)
          redis.call('ZADD', KEYS[3], due, ARGV[2])
        else
          redis.call('HSET', KEYS[2], 'available', ARGV[4])
          if redis.call(ARGV[7] == '1' and 'LPUSH' or 'RPUSH', KEYS[4], ARGV[2]) == 1 then redis.call('PUBLISH', ARGV[5], ARGV[6]) end
        end
        return 1
        """;

    /// <summary>
    /// A worker's heartbeat: it is alive until the deadline, and extends the lease of each reservation it still holds. A
    /// reservation of this worker's whose lease ran out and that it no longer lists is one it never learnt it had (its
    /// answer lost with a timed-out call that Redis ran after all): it goes back to the head of its queue.
    /// KEYS: workers, reserved, restart. ARGV: worker, alive-until ms, now ms, root, wake channel, then (member, lease deadline) pairs.
    /// Returns <c>{restart signal, members no longer held}</c>.
    /// </summary>
    public const string Heartbeat = """
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
        local lost, held = {}, {}
        for i = 6, #ARGV, 2 do
          held[ARGV[i]] = true
          if redis.call('ZSCORE', KEYS[2], ARGV[i]) then
            redis.call('ZADD', KEYS[2], ARGV[i + 1], ARGV[i])
          else
            lost[#lost + 1] = ARGV[i]
          end
        end
        local suffix = '|' .. ARGV[1]
        for _, member in ipairs(redis.call('ZRANGE', KEYS[2], '-inf', ARGV[3], 'BYSCORE', 'LIMIT', 0, 100)) do
          if not held[member] and string.sub(member, -#suffix) == suffix then
            local id = string.match(member, '^([^|]+)|')
            local queue = redis.call('HGET', ARGV[4] .. 'job:' .. id, 'queue')
            redis.call('ZREM', KEYS[2], member)
            if queue then
              redis.call('HINCRBY', ARGV[4] .. 'job:' .. id, 'attempts', -1)
              redis.call('LPUSH', ARGV[4] .. 'ready:' .. queue, id)
              redis.call('PUBLISH', ARGV[5], queue)
            end
          end
        end
        return {redis.call('GET', KEYS[3]) or '0', lost}
        """;

    /// <summary>
    /// Moves due delayed jobs to their ready lists, and puts back at the head of its list every job whose lease ran out
    /// while its worker's heartbeat is dead too (a live worker renews its leases; a dead one's jobs must not wait), counting
    /// the attempt abandoned (it keeps its number, which fences the dead worker off, and the runner forgives it). After a
    /// gap in maintenance longer than a heartbeat's life (by Redis's own clock: Redis was frozen or unreachable, or every
    /// worker was down), no lease is taken back for that long, so that the workers still alive can renew theirs first:
    /// otherwise the first maintenance after a freeze would find every heartbeat stale and run every running job twice.
    /// KEYS: delayed, reserved, workers. ARGV: root, now ms, batch limit, wake channel, heartbeat life ms.
    /// Returns <c>{promoted count, reclaimed members, next due or -1}</c>.
    /// </summary>
    public const string Maintain = """
        local root, now, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
        local woken = {}
        local function ready(id, front)
          local job = root .. 'job:' .. id
          local queue = redis.call('HGET', job, 'queue')
          if not queue then return false end
          redis.call('HSET', job, 'available', now)
          redis.call(front and 'LPUSH' or 'RPUSH', root .. 'ready:' .. queue, id)
          if not woken[queue] then
            woken[queue] = true
            redis.call('PUBLISH', ARGV[4], queue)
          end
          return true
        end
        local promoted = 0
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], '-inf', now, 'BYSCORE', 'LIMIT', 0, limit)) do
          redis.call('ZREM', KEYS[1], id)
          if ready(id, false) then promoted = promoted + 1 end
        end
        local reclaimed = {}
        local clock = redis.call('TIME')
        local redisNow = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
        local life = tonumber(ARGV[5])
        local last = tonumber(redis.call('GET', root .. 'maintained') or redisNow)
        redis.call('SET', root .. 'maintained', redisNow)
        if redisNow - last > life then redis.call('SET', root .. 'reclaim-after', redisNow + life) end
        local reclaimAfter = tonumber(redis.call('GET', root .. 'reclaim-after') or '0')
        local members = redisNow >= reclaimAfter and redis.call('ZRANGE', KEYS[2], '-inf', now, 'BYSCORE', 'LIMIT', 0, limit) or {}
        for _, member in ipairs(members) do
          local id, worker = string.match(member, '^([^|]+)|[^|]+|(.+)$')
          local alive = redis.call('ZSCORE', KEYS[3], worker)
          if not alive or tonumber(alive) < now then
            redis.call('ZREM', KEYS[2], member)
            if ready(id, true) then
              redis.call('HINCRBY', root .. 'job:' .. id, 'abandoned', 1)
              reclaimed[#reclaimed + 1] = member
            end
          end
        end
        redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now - 3600000)
        local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
        return {promoted, reclaimed, nextDue[2] or '-1'}
        """;

    /// <summary>
    /// Creates a batch and pushes its jobs in one step. KEYS: batch. ARGV: root, now ms, wake channel, id, name, then
    /// the then/catch/finally callbacks as (id, queue, payload, timeout ms) with an empty id when absent, then the jobs
    /// as (id, queue, payload, timeout ms).
    /// </summary>
    public const string PushBatch = """
        local root, now = ARGV[1], ARGV[2]
        local jobs = (#ARGV - 17) / 4
        redis.call('HSET', KEYS[1], 'id', ARGV[4], 'name', ARGV[5], 'total', jobs, 'pending', jobs, 'failed', 0, 'created_at', now)
        local kinds = {'then', 'catch', 'finally'}
        for k = 1, 3 do
          local at = 6 + (k - 1) * 4
          if ARGV[at] ~= '' then
            redis.call('HSET', KEYS[1], kinds[k] .. '_id', ARGV[at], kinds[k] .. '_queue', ARGV[at + 1], kinds[k] .. '_payload', ARGV[at + 2], kinds[k] .. '_timeout', ARGV[at + 3])
          end
        end
        local woken = {}
        for at = 18, #ARGV, 4 do
          local queue = ARGV[at + 1]
          redis.call('HSET', root .. 'job:' .. ARGV[at], 'payload', ARGV[at + 2], 'queue', queue, 'attempts', 0, 'timeout', ARGV[at + 3], 'available', now)
          redis.call('RPUSH', root .. 'ready:' .. queue, ARGV[at])
          if not woken[queue] then
            woken[queue] = true
            redis.call('PUBLISH', ARGV[3], queue)
          end
        end
        return jobs
        """;
}
