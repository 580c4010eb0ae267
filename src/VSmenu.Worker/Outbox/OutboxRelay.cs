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
/// twice is added once, by its uuid). Redis pub/sub keeps nothing for a subscriber that is not there, and after a stall
/// of Redis the subscribers may be subscribing again while the relays flush their backlog: the relay pings Redis every
/// <see cref="ProbeEvery"/> and publishes once more what went out in each <see cref="SubscriberGap"/>.
/// </summary>
internal sealed partial class OutboxRelay(
    NpgsqlDataSource dataSource,
    IConnectionMultiplexer redis,
    JobQueue queue,
    TimeProvider time,
    IMeterFactory meterFactory,
    ILogger<OutboxRelay> logger) : BackgroundService
{
    public const string TelemetryName = "VSmenu.Worker.Outbox";
    private const int BatchSize = 500;

    /// <summary>How long the relay trusts notifications alone before it looks anyway (a notification lost with a connection).</summary>
    private static readonly TimeSpan SafetyPollInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan MinRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    /// <summary>How long after a stall subscribers are given to subscribe again before the relay's repeat.</summary>
    private static readonly TimeSpan Resubscription = TimeSpan.FromSeconds(10);

    /// <summary>How often the relay asks Redis whether it answers.</summary>
    private static readonly TimeSpan ProbeEvery = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a ping may go unanswered before Redis counts as stalled: a healthy Redis answers in milliseconds, a starved
    /// process may take a second to hear it (a false stall costs one repeat, which the hubs drop by id), and
    /// StackExchange.Redis gives a subscription up only after its 5 s command timeout.
    /// </summary>
    private static readonly TimeSpan ProbePatience = TimeSpan.FromSeconds(2);

    /// <summary>How much further back than the stall the repeat reaches: published_at is stamped by PostgreSQL's clock.</summary>
    private static readonly TimeSpan RepeatMargin = TimeSpan.FromSeconds(1);
    private static readonly ActivitySource ActivitySource = new(TelemetryName);

    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly Meter _meter = meterFactory.Create(TelemetryName);
    private readonly SubscriberGap _gap = new(time, Resubscription);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var published = _meter.CreateCounter<long>("vsmenu.outbox.published", "{message}", "Outbox messages published to Redis.");
        var pushed = _meter.CreateCounter<long>("vsmenu.outbox.jobs_pushed", "{job}", "Outbox jobs pushed onto the queue.");
        var failures = _meter.CreateCounter<long>("vsmenu.outbox.publish_failures", "{attempt}", "Drains that failed and will be retried.");
        var lag = _meter.CreateHistogram<double>("vsmenu.outbox.lag", "ms", "Time from the change's commit-time stamp to its PUBLISH.");
        var republished = _meter.CreateCounter<long>(
            "vsmenu.outbox.republished", "{message}", "Outbox messages published once more after a stall of Redis, for subscribers that were subscribing again.");

        var listening = ListenAsync(stoppingToken);
        var watching = WatchRedisAsync(stoppingToken);
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
                await _wake.WaitAsync(await RepeatGapAsync(republished, stoppingToken), stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                failures.Add(1);
                LogDrainFailed(exception, retryDelay.TotalMilliseconds);
                await Task.Delay(retryDelay, stoppingToken);
                retryDelay = TimeSpan.FromTicks(Math.Min(retryDelay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }

        await Task.WhenAll(listening, watching);
    }

    /// <summary>Publishes once more what went out in a gap that is due, and says how long the relay may sleep.</summary>
    private async Task<TimeSpan> RepeatGapAsync(Counter<long> republished, CancellationToken cancellationToken)
    {
        if (_gap.Due() is { } gap)
        {
            var count = await RepublishAsync(gap.Age + RepeatMargin, cancellationToken);
            _gap.Repeated(gap);
            republished.Add(count);
            LogRepublished(count, gap.Age.TotalSeconds);
        }

        return _gap.DueIn() ?? SafetyPollInterval;
    }

    /// <summary>
    /// Publishes again, oldest first, every message published in the last <paramref name="age"/> by any replica: the one
    /// that flushed at the thaw may not have seen the stall.
    /// </summary>
    private async Task<int> RepublishAsync(TimeSpan age, CancellationToken cancellationToken)
    {
        var subscriber = redis.GetSubscriber();
        var count = 0;
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // now() is the transaction's start: every page reaches back to the same moment.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        for (var after = 0L; ;)
        {
            List<OutboxRow> rows;
            await using (var select = new NpgsqlCommand(
                $"{SelectRows} WHERE published_at >= now() - $1 AND id > $2 ORDER BY id LIMIT $3", connection, transaction))
            {
                select.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = age });
                select.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after });
                select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
                rows = await ReadRowsAsync(select, cancellationToken);
            }

            var publishing = time.GetUtcNow().ToUnixTimeMilliseconds();
            await Task.WhenAll(rows.Select(row => row.PublishAsync(subscriber, publishing, row.TraceParent)));
            count += rows.Count;
            if (rows.Count < BatchSize)
            {
                return count;
            }

            after = rows[^1].Id;
        }
    }

    /// <summary>
    /// Pings Redis every <see cref="ProbeEvery"/>: a ping that fails or goes unanswered for <see cref="ProbePatience"/> is a
    /// stall, which the subscribers' sockets saw too, whether or not this relay had anything to publish in it.
    /// </summary>
    private async Task WatchRedisAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await redis.GetDatabase().PingAsync().WaitAsync(ProbePatience, time, stoppingToken);
                if (_gap.Answered())
                {
                    Wake();
                }
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested)
            {
                _gap.Stalled();
            }

            await Task.Delay(ProbeEvery, time, stoppingToken);
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
        List<OutboxRow> pending;
        await using (var select = new NpgsqlCommand($"{SelectRows} WHERE published_at IS NULL ORDER BY id LIMIT $1", connection, transaction))
        {
            select.Parameters.Add(new NpgsqlParameter<int> { TypedValue = BatchSize });
            pending = await ReadRowsAsync(select, cancellationToken);
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

        var publishing = time.GetUtcNow().ToUnixTimeMilliseconds();
        var subscriber = redis.GetSubscriber();
        var outer = Activity.Current;
        var spans = new List<Activity>(pending.Count);
        var publishes = new List<Task>(pending.Count);
        foreach (var message in pending)
        {
            // Current while its PUBLISH is issued, so the Redis command is the span's child; never left current after.
            var span = StartPublish(message);
            try
            {
                publishes.Add(message.PublishAsync(subscriber, publishing, span?.Id ?? message.TraceParent));
            }
            finally
            {
                Activity.Current = outer;
                if (span is not null)
                {
                    spans.Add(span);
                }
            }
        }

        try
        {
            await Task.WhenAll(publishes);
        }
        catch (Exception exception)
        {
            spans.ForEach(span => span.SetStatus(ActivityStatusCode.Error, exception.Message));
            _gap.Stalled();
            throw;
        }
        finally
        {
            spans.ForEach(span => span.Stop());
            Activity.Current = outer;
        }

        var publishedAt = time.GetUtcNow();
        _gap.Answered();
        // The clock's time, not the transaction's start, which may lie before a stall that held the PUBLISH: a repeat
        // reaches back by published_at.
        await using (var update = new NpgsqlCommand("UPDATE outbox_messages SET published_at = clock_timestamp() WHERE id = ANY($1)", connection, transaction))
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
    private static Activity? StartPublish(OutboxRow message)
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

    private const string SelectRows =
        "SELECT id, tenant_id, channel, event, payload::text, socket_id, trace_parent, created_at, xmin::text FROM outbox_messages";

    /// <summary>Reads the rows that <paramref name="select"/>, a <see cref="SelectRows"/> with its condition, finds.</summary>
    private static async Task<List<OutboxRow>> ReadRowsAsync(NpgsqlCommand select, CancellationToken cancellationToken)
    {
        var rows = new List<OutboxRow>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new OutboxRow(
                reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5), reader.IsDBNull(6) ? null : reader.GetString(6), reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetString(8)));
        }

        return rows;
    }

    /// <summary>An outbox message to publish; <c>Transaction</c> is the id of the transaction that wrote it (its <c>xmin</c>).</summary>
    private sealed record OutboxRow(
        long Id, long TenantId, string Channel, string Event, string Payload, string? SocketId, string? TraceParent, DateTimeOffset CreatedAt,
        string Transaction)
    {
        /// <summary>Publishes this message on its channel's Redis channel.</summary>
        /// <param name="subscriber">The process's Redis pub/sub.</param>
        /// <param name="publishedAt">Unix milliseconds, so the hub can measure publish → deliver.</param>
        /// <param name="traceParent">The publish span, which the hub's delivery continues.</param>
        public Task<long> PublishAsync(ISubscriber subscriber, long publishedAt, string? traceParent) =>
            subscriber.PublishAsync(RedisChannel.Literal(BroadcastChannel.For(Channel)), ToJson(publishedAt, traceParent));

        private byte[] ToJson(long publishedAt, string? traceParent) => new BroadcastMessage
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

    [LoggerMessage(LogLevel.Information, "Published {Count} outbox messages once more, those of the last {Seconds:0.0} s, after Redis stalled")]
    private partial void LogRepublished(int count, double seconds);

    [LoggerMessage(LogLevel.Warning, "Listening for outbox notifications failed; reconnecting in {DelayMs} ms")]
    private partial void LogListenFailed(Exception exception, double delayMs);
}
