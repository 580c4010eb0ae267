using System.Collections.Concurrent;
using System.Globalization;
using StackExchange.Redis;
using VSmenu.Redis;

namespace VSmenu.Api.Auth;

/// <summary>
/// Ends revoked tokens in every api replica's <see cref="TokenCache"/> before the revoking request answers. The revoking
/// replica publishes the eviction on Redis and waits until every replica that received it says it has evicted; when Redis
/// cannot carry it (down, frozen, the circuit open) or a replica does not answer, it waits out the cache's lifetime instead,
/// after which no replica holds an entry read before the revocation. Either way the token is refused everywhere once the
/// revocation has answered.
/// </summary>
public sealed partial class TokenRevocations(
    IConnectionMultiplexer redis, RedisCircuit circuit, TokenCache cache, TimeProvider clock, ILogger<TokenRevocations> logger) : BackgroundService
{
    private static readonly RedisChannel Evictions = RedisChannel.Literal("vsmenu:auth:token-evictions");
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly string _origin = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<long, Acknowledgements> _waiting = new();
    private long _lastNonce;
    private volatile bool _subscribed;

    private RedisChannel Acks => AcksOf(_origin);

    /// <summary>Call after the revocation has committed.</summary>
    public async Task EvictEverywhereAsync(TokenEviction eviction, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        cache.Evict(eviction);
        if (cache.Lifetime <= TimeSpan.Zero)
        {
            return;
        }

        var nonce = Interlocked.Increment(ref _lastNonce);
        var acknowledgements = _waiting[nonce] = new Acknowledgements();
        try
        {
            if (circuit.Available)
            {
                var message = string.Join('|', _origin, nonce.ToString(CultureInfo.InvariantCulture), eviction.TokenId?.ToString(CultureInfo.InvariantCulture), eviction.UserId?.ToString(CultureInfo.InvariantCulture));
                var receivers = await circuit.RunAsync(database => database.PublishAsync(Evictions, message), cache.Lifetime, cancellationToken);
                var rest = cache.Lifetime - clock.GetElapsedTime(started);
                if (rest > TimeSpan.Zero)
                {
                    await acknowledgements.AllAsync(receivers).WaitAsync(rest, clock, cancellationToken);
                }

                return;
            }
        }
        catch (Exception unheard) when (unheard is RedisException or TimeoutException && !cancellationToken.IsCancellationRequested)
        {
            LogEvictionUnheard(unheard.GetType().Name);
        }
        finally
        {
            _waiting.TryRemove(nonce, out _);
        }

        var unheardFor = cache.Lifetime - clock.GetElapsedTime(started);
        if (unheardFor > TimeSpan.Zero)
        {
            await Task.Delay(unheardFor, clock, cancellationToken);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed += OnConnectionFailed;
        redis.ConnectionRestored += OnConnectionRestored;
        cache.HearsEvictions = _subscribed = await TrySubscribeAsync();
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!_subscribed && await SleepAsync(RetryDelay, stoppingToken))
        {
            cache.HearsEvictions = _subscribed = await TrySubscribeAsync();
        }

        while (await SleepAsync(cache.Lifetime * 10, stoppingToken))
        {
            cache.RemoveExpired();
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionFailed -= OnConnectionFailed;
        redis.ConnectionRestored -= OnConnectionRestored;
        await base.StopAsync(cancellationToken);
    }

    private async Task<bool> SleepAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay > TimeSpan.Zero ? delay : RetryDelay, clock, stoppingToken);
            return true;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        try
        {
            var subscriber = redis.GetSubscriber();
            await subscriber.SubscribeAsync(Acks, (_, nonce) => Acknowledge(nonce));
            await subscriber.SubscribeAsync(Evictions, (_, message) => Evict(message));
            return true;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogSubscribeFailed(exception);
            return false;
        }
    }

    private void Evict(RedisValue message)
    {
        var parts = message.ToString().Split('|');
        cache.Evict(new TokenEviction(ParseId(parts[2]), ParseId(parts[3])));
        redis.GetSubscriber().Publish(AcksOf(parts[0]), parts[1], CommandFlags.FireAndForget);
    }

    private void Acknowledge(RedisValue nonce)
    {
        if (long.TryParse(nonce.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && _waiting.TryGetValue(value, out var waiting))
        {
            waiting.Add();
        }
    }

    private static long? ParseId(string text) => text.Length == 0 ? null : long.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);

    private static RedisChannel AcksOf(string origin) => RedisChannel.Literal($"vsmenu:auth:token-evictions:acks:{origin}");

    // Evictions published while the subscription is down never arrive: the cache keeps nothing until it is back.
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs failed)
    {
        if (failed.ConnectionType == ConnectionType.Subscription)
        {
            cache.HearsEvictions = false;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs restored)
    {
        if (restored.ConnectionType == ConnectionType.Subscription)
        {
            cache.HearsEvictions = _subscribed;
        }
    }

    /// <summary>Counts the replicas that said they evicted, until as many as received the eviction have.</summary>
    private sealed class Acknowledgements
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private long _received;
        private long _expected = long.MaxValue;

        public void Add()
        {
            if (Interlocked.Increment(ref _received) >= Interlocked.Read(ref _expected))
            {
                _all.TrySetResult();
            }
        }

        public Task AllAsync(long expected)
        {
            Interlocked.Exchange(ref _expected, expected);
            if (Interlocked.Read(ref _received) >= expected)
            {
                _all.TrySetResult();
            }

            return _all.Task;
        }
    }

    [LoggerMessage(LogLevel.Warning, "A token eviction could not reach every api replica ({Kind}); the revocation waits out the token cache's lifetime instead")]
    private partial void LogEvictionUnheard(string kind);

    [LoggerMessage(LogLevel.Warning, "Subscribing to token evictions failed; this replica caches no token until it succeeds")]
    private partial void LogSubscribeFailed(Exception exception);
}
