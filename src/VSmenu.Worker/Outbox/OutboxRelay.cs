using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Data.Outbox;
using VSmenu.Queue;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.Worker.Outbox;

/// <summary>
/// Publishes committed outbox rows to Redis pub/sub as <see cref="BroadcastMessage"/>s, oldest first, and
/// pushes committed outbox jobs onto the queue, stamping each row in the same transaction that read it. A PostgreSQL
/// <c>NOTIFY</c> at commit wakes it; while Redis or PostgreSQL is down it retries with backoff, so an accepted change never
/// loses its events or jobs (events go out at least once, their <c>id</c> lets consumers drop a repeat; a job pushed
/// twice is added once, by its uuid). Redis pub/sub keeps nothing for a subscriber that is not there, and after an outage
/// the subscribers may be reconnecting while the relay flushes its backlog (StackExchange.Redis drops a subscription
/// socket that timed out in a freeze and subscribes again after the thaw; a chaos run's observer missed two events so):
/// what the relay failed to publish and what it publishes in the first <see cref="Resubscription"/> after it recovers, it
/// publishes once more then.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IConnectionMultiplexer redis,
    JobQueue queue,
    IMeterFactory meterFactory,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    public const string TelemetryName = "VSmenu.Worker.Outbox";
    private const int BatchSize = 500;

    /// <summary>How long the relay trusts notifications alone before it looks anyway (a notification lost with a connection).</summary>
    private static readonly TimeSpan SafetyPollInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long after an outage subscribers are given to subscribe again before the relay's repeat.</summary>
    private static readonly TimeSpan Resubscription = TimeSpan.FromSeconds(10);
    private static readonly ActivitySource ActivitySource = new(TelemetryName);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Meter _meter = meterFactory.Create(TelemetryName);
    private readonly Dictionary<long, (RedisChannel Channel, byte[] Message)> _toRepublish = [];
    private bool _failed;
    private DateTimeOffset? _recoveredAt;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var published = _meter.CreateCounter<long>("vsmenu.outbox.published", "{message}", "Outbox messages published to Redis.");
        var pushed = _meter.CreateCounter<long>("vsmenu.outbox.jobs_pushed", "{job}", "Outbox jobs pushed onto the queue.");
        var failures = _meter.CreateCounter<long>("vsmenu.outbox.publish_failures", "{attempt}", "Drains that failed and will be retried.");
        var lag = _meter.CreateHistogram<double>("vsmenu.outbox.lag", "ms", "Time from the change's commit-time stamp to its PUBLISH.");
        var republished = _meter.CreateCounter<long>(
            "vsmenu.outbox.republished", "{message}", "Outbox messages published once more after an outage, for subscribers that were reconnecting.");

        var listening = ListenAsync(stoppingToken);
        var retryDelay = MinRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                int events, jobs;
                do
                {
                    events = await InLockedTransactionAsync("vsmenu_outbox_relay", (connection, transaction) =>
                        PublishBatchAsync(connection, transaction, published, lag, stoppingToken), stoppingToken);
                    jobs = await InLockedTransactionAsync("vsmenu_outbox_jobs", (connection, transaction) =>
                        PushJobBatchAsync(connection, transaction, pushed, stoppingToken), stoppingToken);
                }
                while (events == BatchSize || jobs == BatchSize);

                retryDelay = MinRetryDelay;
                await _wake.WaitAsync(await RepublishAfterResubscriptionAsync(republished), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                _failed = true;
                failures.Add(1);
                LogDrainFailed(exception, retryDelay.TotalMilliseconds);
                await Task.Delay(retryDelay, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }

        await listening;
    }

    /// <summary>
    /// Starts the resubscription window at the first drain that succeeds after a failure, publishes what went out in it once
    /// the window has passed, and says how long the relay may sleep.
    /// </summary>
    private async Task<TimeSpan> RepublishAfterResubscriptionAsync(Counter<long> republished)
    {
        if (_failed)
        {
            _failed = false;
            _recoveredAt = DateTimeOffset.UtcNow;
        }

        if (_recoveredAt is not { } recoveredAt)
        {
            return SafetyPollInterval;
        }

        var left = recoveredAt + Resubscription - DateTimeOffset.UtcNow;
        if (left > TimeSpan.Zero)
        {
            return left;
        }

        await PublishAllAsync(_toRepublish.Values);
        republished.Add(_toRepublish.Count);
        _toRepublish.Clear();
        _recoveredAt = null;
        return SafetyPollInterval;
    }

    private Task PublishAllAsync(IEnumerable<(RedisChannel Channel, byte[] Message)> messages)
    {
        var subscriber = redis.GetSubscriber();
        return Task.WhenAll(messages.Select(message => subscriber.PublishAsync(message.Channel, message.Message)));
    }

    private void RememberToRepublish(List<(long Id, RedisChannel Channel, byte[] Message)> messages)
    {
        foreach (var message in messages)
        {
            _toRepublish[message.Id] = (message.Channel, message.Message);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification got there first; one pending wake-up is all the loop needs.
            }
        }
    }

    /// <summary>Holds a <c>LISTEN</c> connection open, reconnecting with backoff, and wakes the drain on every notification.</summary>
    private async Task ListenAsync(CancellationToken stoppingToken)
    {
        var retryDelay = MinRetryDelay;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await dataSource.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, _) => Wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {OutboxNotifications.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }

                retryDelay = MinRetryDelay;
                // Rows committed while nobody listened get no notification of their own.
                Wake();
                while (!stoppingToken.IsCancellationRequested)
                {
                    await connection.WaitAsync(stoppingToken);
                }
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogListenFailed(exception, retryDelay.TotalMilliseconds);
                await Task.Delay(retryDelay, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="drain"/> in a transaction holding the advisory lock <paramref name="lockName"/>, so one worker
    /// replica drains a table at a time (each channel's events go out in commit order), and commits what it stamped.
    /// </summary>
    private async Task<int> InLockedTransactionAsync(
        string lockName, Func<NpgsqlConnection, NpgsqlTransaction, Task<int>> drain, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(hashtext($1))", connection, transaction))
        {
            lockCommand.Parameters.Add(new NpgsqlParameter<string> { TypedValue = lockName });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        var count = await drain(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return count;
    }

    private async Task<int> PushJobBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Counter<long> pushed, CancellationToken cancellationToken)
    {
        var pending = new List<(long Id, string Payload)>();
        await using (var select = new NpgsqlCommand(
            "SELECT id, payload::text FROM outbox_jobs WHERE dispatched_at IS NULL ORDER BY id LIMIT $1", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add((reader.GetInt64(0), reader.GetString(1)));
            }
        }

        if (pending.Count == 0)
        {
            return 0;
        }

        // Deduplicated by uuid: if this transaction fails to commit after the pushes, the next drain adds nothing twice.
        await Task.WhenAll(pending.Select(job => queue.PushAsync(JobEnvelope.FromJson(job.Payload), TimeSpan.Zero, deduplicate: true)));
        await using (var update = new NpgsqlCommand("UPDATE outbox_jobs SET dispatched_at = now() WHERE id = ANY($1)", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = pending.ConvertAll(job => job.Id).ToArray() });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        pushed.Add(pending.Count);
        return pending.Count;
    }

    private async Task<int> PublishBatchAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, Counter<long> published, Histogram<double> lag, CancellationToken cancellationToken)
    {
        var pending = new List<PendingMessage>();
        await using (var select = new NpgsqlCommand(
            """
            SELECT id, tenant_id, channel, event, payload::text, socket_id, trace_parent, created_at, xmin::text
            FROM outbox_messages WHERE published_at IS NULL ORDER BY id LIMIT $1
            """,
            connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                pending.Add(new PendingMessage(
                    reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                    reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                    reader.GetString(8)));
            }
        }

        if (pending.Count == 0)
        {
            return 0;
        }

        // A row the database wrote itself (the sync trigger's sync.changed) knows no trace: it joins the trace of a row its
        // transaction wrote through the application (same xmin), the change it announces.
        var traceOfTransaction = pending.Where(message => message.TraceParent is not null).GroupBy(message => message.Transaction)
            .ToDictionary(rows => rows.Key, rows => rows.First().TraceParent);
        pending = pending.ConvertAll(message => message.TraceParent is null && traceOfTransaction.TryGetValue(message.Transaction, out var trace)
            ? message with { TraceParent = trace }
            : message);

        var publishing = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var subscriber = redis.GetSubscriber();
        var outer = Activity.Current;
        var spans = new List<Activity>(pending.Count);
        var publishes = new List<Task>(pending.Count);
        var messages = pending.ConvertAll(message =>
        {
            // Current while its PUBLISH is issued, so the Redis command is the span's child; never left current after.
            var span = StartPublish(message);
            try
            {
                var channel = RedisChannel.Literal(BroadcastChannel.For(message.Channel));
                var json = message.ToJson(publishing, span?.Id ?? message.TraceParent);
                publishes.Add(subscriber.PublishAsync(channel, json));
                return (message.Id, Channel: channel, Message: json);
            }
            finally
            {
                Activity.Current = outer;
                if (span is not null)
                {
                    spans.Add(span);
                }
            }
        });
        try
        {
            await Task.WhenAll(publishes);
        }
        catch (Exception exception)
        {
            spans.ForEach(span => span.SetStatus(ActivityStatusCode.Error, exception.Message));
            // Another replica may publish these at the thaw, into the same gap: this one, which saw the outage, repeats them.
            RememberToRepublish(messages);
            throw;
        }
        finally
        {
            spans.ForEach(span => span.Stop());
            Activity.Current = outer;
        }

        var publishedAt = DateTimeOffset.UtcNow;
        if (_failed || _recoveredAt is not null)
        {
            RememberToRepublish(messages);
        }

        await using (var update = new NpgsqlCommand("UPDATE outbox_messages SET published_at = now() WHERE id = ANY($1)", connection, transaction))
        {
            update.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = pending.ConvertAll(message => message.Id).ToArray() });
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        published.Add(pending.Count);
        foreach (var message in pending)
        {
            lag.Record((publishedAt - message.CreatedAt).TotalMilliseconds, new KeyValuePair<string, object?>("event", message.Event));
        }

        return pending.Count;
    }

    public override void Dispose()
    {
        _meter.Dispose();
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>
    /// A span per message, in the trace of the change that wrote it: <c>order.created publish private-orders.12</c>. A
    /// message that knows no trace (a menu edit's sync.changed, written by the database alone) gets none: a trace of its
    /// own would be noise on the Traces page; the relay's metrics count it.
    /// </summary>
    private static Activity? StartPublish(PendingMessage message)
    {
        if (!ActivityContext.TryParse(message.TraceParent, traceState: null, isRemote: true, out var parent))
        {
            return null;
        }

        var span = ActivitySource.StartActivity($"{message.Event} publish {message.Channel}", ActivityKind.Producer, parent);
        span?.SetTag("messaging.operation.type", "send");
        span?.SetTag("messaging.destination.name", message.Channel);
        span?.SetTag("messaging.message.id", message.Id);
        span?.SetTag(VsmenuTelemetry.TenantAttribute, message.TenantId);
        return span;
    }

    /// <summary>An outbox row to publish; <c>Transaction</c> is the id of the transaction that wrote it (its <c>xmin</c>).</summary>
    private sealed record PendingMessage(
        long Id, long TenantId, string Channel, string Event, string Payload, string? SocketId, string? TraceParent, DateTimeOffset CreatedAt,
        string Transaction)
    {
        /// <param name="publishedAt">Unix milliseconds, so the hub can measure publish → deliver.</param>
        /// <param name="traceParent">The publish span, which the hub's delivery continues.</param>
        public byte[] ToJson(long publishedAt, string? traceParent) => new BroadcastMessage
        {
            Id = Id,
            Event = Event,
            Channel = Channel,
            Data = JsonNode.Parse(Payload),
            Socket = SocketId,
            PublishedAt = publishedAt,
            TenantId = TenantId,
            TraceParent = traceParent,
        }.ToUtf8Json();
    }

    [LoggerMessage(LogLevel.Warning, "Publishing outbox messages failed; retrying in {DelayMs} ms")]
    private partial void LogDrainFailed(Exception exception, double delayMs);

    [LoggerMessage(LogLevel.Warning, "Listening for outbox notifications failed; reconnecting in {DelayMs} ms")]
    private partial void LogListenFailed(Exception exception, double delayMs);
}
