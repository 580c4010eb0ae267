using System.Diagnostics.Metrics;
using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;
using RedisRateLimiting;
using StackExchange.Redis;
using VSmenu.Redis;

namespace VSmenu.Api.Edge.RateLimiting;

/// <summary>One request to count: which limit (<paramref name="Bucket"/> and its rule) and against whom.</summary>
public sealed record RateLimitRequest(string Bucket, RateLimitRule Rule, string Subject)
{
    public string PartitionKey => $"vsmenu:ratelimit:{Bucket}:{Subject}";
}

/// <summary>What a limit says about one request, and what the <c>X-RateLimit-*</c> headers tell the client.</summary>
public readonly record struct RateLimitDecision(bool Allowed, int Limit, int Remaining, DateTimeOffset ResetsAt)
{
    public int RetryAfterSeconds(DateTimeOffset now) => Math.Max(1, (int)Math.Ceiling((ResetsAt - now).TotalSeconds));
}

/// <summary>
/// Counts requests in fixed windows kept in Redis (RedisRateLimiting's atomic script), so every api replica shares
/// one count. When Redis cannot answer in time the replica counts on its own until Redis is back: limits then hold
/// per replica rather than not at all, and the API keeps answering; after one timeout, every request counts locally at once
/// until Redis answers again (<see cref="RedisCircuit"/>).
/// </summary>
public sealed partial class ApiRateLimiter : IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisCircuit _circuit;
    private readonly RateLimitOptions _options;
    private readonly TimeProvider _clock;
    private readonly ILogger<ApiRateLimiter> _logger;
    private readonly PartitionedRateLimiter<RateLimitRequest> _local;
    private readonly Counter<long> _decisions;
    private int _countingLocally;

    public ApiRateLimiter(
        IConnectionMultiplexer redis, RedisCircuit circuit, IOptions<RateLimitOptions> options, TimeProvider clock, IMeterFactory meterFactory, ILogger<ApiRateLimiter> logger)
    {
        _redis = redis;
        _circuit = circuit;
        _options = options.Value;
        _clock = clock;
        _logger = logger;
        _local = PartitionedRateLimiter.Create<RateLimitRequest, string>(request => RateLimitPartition.GetFixedWindowLimiter(
            request.PartitionKey,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = request.Rule.PermitLimit, Window = request.Rule.Window, QueueLimit = 0 }));
        _decisions = meterFactory.Create(ApiEdgeTelemetry.MeterName).CreateCounter<long>(
            "vsmenu.api.rate_limit.decisions", "{request}", "Requests counted against a rate limit, by limit, outcome and where they were counted.");
    }

    public bool Enabled => _options.Enabled;

    public async ValueTask<RateLimitDecision> AcquireAsync(RateLimitRequest request, CancellationToken cancellationToken)
    {
        var decision = await AcquireSharedAsync(request, cancellationToken);
        var store = "redis";
        if (decision is null)
        {
            store = "local";
            decision = AcquireLocal(request);
        }

        _decisions.Add(1,
            new KeyValuePair<string, object?>("limit", request.Bucket),
            new KeyValuePair<string, object?>("outcome", decision.Value.Allowed ? "allowed" : "rejected"),
            new KeyValuePair<string, object?>("store", store));
        return decision.Value;
    }

    private async ValueTask<RateLimitDecision?> AcquireSharedAsync(RateLimitRequest request, CancellationToken cancellationToken)
    {
        // A disconnected multiplexer would queue the script until its own timeout, and a hung server would hold every
        // request for the full timeout: once one has timed out, requests count locally until Redis answers a probe.
        if (!_circuit.Available)
        {
            CountLocally(null);
            return null;
        }

        try
        {
            // A limiter per request, not a partitioned one: Redis limiters never report idle, so a partitioned limiter
            // would keep one per user and address ever seen. This one holds nothing but the key's name.
            using var limiter = new RedisFixedWindowRateLimiter<string>(request.PartitionKey, new RedisFixedWindowRateLimiterOptions
            {
                ConnectionMultiplexerFactory = () => _redis,
                PermitLimit = request.Rule.PermitLimit,
                Window = request.Rule.Window,
            });
            using var lease = await _circuit.RunAsync(_ => limiter.AcquireAsync(1, cancellationToken).AsTask(), _options.RedisTimeout, cancellationToken);
            if (Interlocked.Exchange(ref _countingLocally, 0) == 1)
            {
                LogSharedCountersBack();
            }

            return new RateLimitDecision(
                lease.IsAcquired,
                request.Rule.PermitLimit,
                (int)Math.Max(0, ReadLong(lease, RateLimitMetadataName.Remaining.Name)),
                DateTimeOffset.FromUnixTimeSeconds(ReadLong(lease, RateLimitMetadataName.Reset.Name)));
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            CountLocally(exception);
            return null;
        }
    }

    private RateLimitDecision AcquireLocal(RateLimitRequest request)
    {
        using var lease = _local.AttemptAcquire(request);
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : request.Rule.Window;
        var remaining = (int)(_local.GetStatistics(request)?.CurrentAvailablePermits ?? 0);
        return new RateLimitDecision(lease.IsAcquired, request.Rule.PermitLimit, remaining, _clock.GetUtcNow() + retryAfter);
    }

    private void CountLocally(Exception? cause)
    {
        if (Interlocked.Exchange(ref _countingLocally, 1) == 0)
        {
            LogCountingLocally(cause);
        }
    }

    private static long ReadLong(RateLimitLease lease, string metadataName) =>
        lease.TryGetMetadata(metadataName, out var value) ? Convert.ToInt64(value, CultureInfo.InvariantCulture) : 0;

    public void Dispose() => _local.Dispose();

    [LoggerMessage(LogLevel.Warning, "Redis cannot count requests; rate limits hold per api replica until it is back")]
    private partial void LogCountingLocally(Exception? exception);

    [LoggerMessage(LogLevel.Information, "Redis counts requests again; rate limits hold across api replicas")]
    private partial void LogSharedCountersBack();
}
