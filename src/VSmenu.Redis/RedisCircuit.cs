using Microsoft.Extensions.Logging;
using StackExchange.Redis;
using VSmenu.Resilience;

namespace VSmenu.Redis;

/// <summary>
/// This process's circuit on Redis, for the callers that can do without it (rate limits count locally, idempotency keys
/// are skipped): the first timeout opens it, so during a Redis that hangs only that one request pays the wait, and the
/// others skip Redis at once until a background <c>PING</c> answers.
/// </summary>
public sealed class RedisCircuit(IConnectionMultiplexer redis, TimeProvider time, ILogger<RedisCircuit> logger) : IDisposable
{
    public DependencyBreaker Breaker { get; } = new(
        "Redis",
        new DependencyBreakerOptions { FailuresToOpen = 1 },
        async cancellationToken => await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken),
        time,
        logger);

    public void Dispose() => Breaker.Dispose();

    /// <summary>Whether a call may go to Redis now: connected, and the circuit closed.</summary>
    public bool Available => redis.IsConnected && !Breaker.IsOpen;

    /// <summary>
    /// Runs <paramref name="call"/> against Redis within <paramref name="timeout"/> and reports how it went; a failure of
    /// Redis itself (refused, timed out, the connection dropped under the call) is rethrown after it has been counted.
    /// </summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> call, TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            var result = await call(redis.GetDatabase()).WaitAsync(timeout, time, cancellationToken);
            Breaker.RecordSuccess();
            return result;
        }
        catch (Exception exception) when (exception is TimeoutException || DependencyFailure.IsBackingStoreDown(exception))
        {
            Breaker.RecordFailure(exception);
            throw;
        }
        catch (OperationCanceledException canceled) when (!cancellationToken.IsCancellationRequested)
        {
            // Not our caller's cancellation: the multiplexer dropped the connection (a socket it found dead) under the
            // call. The callers treat it as the Redis failure it is.
            var dropped = new RedisConnectionException(ConnectionFailureType.SocketClosed, "Redis dropped the connection during the call.", canceled);
            Breaker.RecordFailure(dropped);
            throw dropped;
        }
    }
}
