using System.Text.Json;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Redis;

namespace VSmenu.Api.Edge.Idempotency;

/// <summary>A response remembered for replay.</summary>
public sealed record StoredResponse(int Status, string? ContentType, string? Location, byte[] Body);

/// <summary>What became of a key when a request tried to claim it.</summary>
public abstract record IdempotencyClaim
{
    private IdempotencyClaim()
    {
    }

    /// <summary>This request owns the key and runs; <see cref="Value"/> fences its completion against a lapsed lease.</summary>
    public sealed record Owned(RedisKey Key, string Value, string Fingerprint) : IdempotencyClaim;

    public sealed record Completed(StoredResponse Response) : IdempotencyClaim;

    public sealed record InFlight : IdempotencyClaim;

    public sealed record DifferentRequest : IdempotencyClaim;

    /// <summary>Redis did not answer: the request runs without the replay guarantee.</summary>
    public sealed record Unavailable(Exception? Cause) : IdempotencyClaim;
}

/// <summary>
/// Idempotency keys in Redis, one string per key: <c>SET NX</c> claims it while the first request runs (with a lease, so a
/// crashed replica's claim lapses), and the owner replaces the claim with the response, or deletes it when there is
/// nothing worth replaying; both only while the claim is still its own. While Redis's circuit is open, requests run without
/// a key at once rather than each waiting out the timeout.
/// </summary>
public sealed class IdempotencyStore(IConnectionMultiplexer redis, RedisCircuit circuit, IOptions<IdempotencyOptions> options, TimeProvider clock)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    private const string ReplaceIfOwnedScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
        end
        return false
        """;

    private const string DeleteIfOwnedScript = """
        if redis.call('GET', KEYS[1]) == ARGV[1] then
            return redis.call('DEL', KEYS[1])
        end
        return 0
        """;

    private readonly IdempotencyOptions _options = options.Value;

    public async Task<IdempotencyClaim> ClaimAsync(string scope, string fingerprint, CancellationToken cancellationToken)
    {
        if (!circuit.Available)
        {
            return new IdempotencyClaim.Unavailable(null);
        }

        var key = new RedisKey($"vsmenu:idempotency:{scope}");
        var claim = Serialize(new Entry(fingerprint, Guid.NewGuid().ToString("N"), null));
        var waitUntil = clock.GetUtcNow() + _options.WaitForInFlight;
        try
        {
            while (true)
            {
                var database = redis.GetDatabase();
                if (await Bounded(database.StringSetAsync(key, claim, _options.InFlightLease, When.NotExists), cancellationToken))
                {
                    return new IdempotencyClaim.Owned(key, claim, fingerprint);
                }

                var existing = await Bounded(database.StringGetAsync(key), cancellationToken);
                if (existing.IsNull)
                {
                    continue;
                }

                var entry = Deserialize(existing!);
                if (entry.Fingerprint != fingerprint)
                {
                    return new IdempotencyClaim.DifferentRequest();
                }

                if (entry.Response is not null)
                {
                    return new IdempotencyClaim.Completed(entry.Response);
                }

                if (clock.GetUtcNow() >= waitUntil)
                {
                    return new IdempotencyClaim.InFlight();
                }

                await Task.Delay(PollInterval, clock, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            return new IdempotencyClaim.Unavailable(exception);
        }
    }

    public async Task CompleteAsync(IdempotencyClaim.Owned claim, StoredResponse response, CancellationToken cancellationToken) =>
        await Bounded(redis.GetDatabase().ScriptEvaluateAsync(
            ReplaceIfOwnedScript,
            [claim.Key],
            [claim.Value, Serialize(new Entry(claim.Fingerprint, null, response)), (long)_options.Lifetime.TotalMilliseconds]), cancellationToken);

    public async Task ReleaseAsync(IdempotencyClaim.Owned claim, CancellationToken cancellationToken) =>
        await Bounded(redis.GetDatabase().ScriptEvaluateAsync(DeleteIfOwnedScript, [claim.Key], [claim.Value]), cancellationToken);

    private Task<T> Bounded<T>(Task<T> redisCall, CancellationToken cancellationToken) =>
        circuit.RunAsync(_ => redisCall, _options.RedisTimeout, cancellationToken);

    private static string Serialize(Entry entry) => JsonSerializer.Serialize(entry);

    private static Entry Deserialize(string json) => JsonSerializer.Deserialize<Entry>(json)
        ?? throw new InvalidOperationException("An idempotency entry in Redis is empty.");

    /// <summary>A claim (<see cref="Owner"/> set) or a completed request (<see cref="Response"/> set), and what the request was.</summary>
    internal sealed record Entry(string Fingerprint, string? Owner, StoredResponse? Response);
}
