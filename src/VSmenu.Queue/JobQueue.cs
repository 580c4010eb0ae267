using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Queue.Batches;

namespace VSmenu.Queue;

/// <summary>
/// Dispatches jobs onto the Redis queues (Laravel's <c>dispatch</c>, delayed, on a queue, <c>dispatchIf</c>, batches)
/// and answers what a dashboard asks: sizes, batches, the restart signal.
/// </summary>
public sealed class JobQueue(IConnectionMultiplexer redis, IOptions<QueueOptions> options, TimeProvider time)
{
    private readonly QueueOptions _options = options.Value;

    public QueueKeys Keys { get; } = new(options.Value.Prefix);

    private IDatabase Database => redis.GetDatabase();

    /// <summary>Pushes <paramref name="job"/> and returns its uuid.</summary>
    public async Task<string> DispatchAsync<TJob>(TJob job, JobDispatch? dispatch = null, CancellationToken cancellationToken = default)
        where TJob : IJob
    {
        cancellationToken.ThrowIfCancellationRequested();
        var envelope = Describe(job, dispatch);
        await PushAsync(envelope, dispatch?.Delay ?? TimeSpan.Zero, deduplicate: false);
        return envelope.Uuid;
    }

    /// <summary>Dispatches only when <paramref name="condition"/> holds; returns the uuid, or null when it did not.</summary>
    public async Task<string?> DispatchIfAsync<TJob>(bool condition, TJob job, JobDispatch? dispatch = null, CancellationToken cancellationToken = default)
        where TJob : IJob =>
        condition ? await DispatchAsync(job, dispatch, cancellationToken) : null;

    /// <summary>The envelope a dispatch would push now, in the current trace: what the outbox stores to push later.</summary>
    public JobEnvelope Describe<TJob>(TJob job, JobDispatch? dispatch = null) where TJob : IJob => JobEnvelope.For(job, dispatch, time);

    /// <summary>
    /// Pushes an envelope described earlier (by the outbox, or a retry of a failed job). With
    /// <paramref name="deduplicate"/>, a second push of the same uuid within the de-duplication window does nothing, so
    /// a relay that repeats itself after a crash doubles no job. Returns whether it was pushed.
    /// </summary>
    public async Task<bool> PushAsync(JobEnvelope envelope, TimeSpan delay, bool deduplicate)
    {
        using var activity = QueueTelemetry.StartPublish(envelope);
        envelope = activity is null ? envelope : envelope with { TraceParent = activity.Id, TraceState = activity.TraceStateString };
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var due = delay > TimeSpan.Zero ? now + (long)delay.TotalMilliseconds : 0;
        var pushed = await Database.ScriptEvaluateAsync(
            QueueScripts.Push,
            [Keys.Job(envelope.Uuid), Keys.Ready(envelope.Queue), Keys.Delayed, Keys.Pushed(envelope.Uuid)],
            [
                envelope.Uuid, envelope.ToJson(), envelope.Queue, TimeoutMilliseconds(envelope), due, now,
                deduplicate ? (long)_options.DeduplicationWindow.TotalMilliseconds : 0, Keys.Wake.ToString(),
            ]);
        return (int)pushed == 1;
    }

    /// <summary>Starts a batch of jobs (Laravel's <c>Bus::batch</c>): add callbacks, then dispatch it.</summary>
    public PendingBatch Batch(IEnumerable<IJob> jobs) => new(this, jobs.ToList());

    internal async Task<string> DispatchBatchAsync(PendingBatch batch)
    {
        if (batch.Jobs.Count == 0)
        {
            throw new ArgumentException("A batch needs at least one job.", nameof(batch));
        }

        var id = Guid.CreateVersion7().ToString();
        using var activity = QueueTelemetry.StartBatchPublish(id, batch.Name, batch.Jobs.Count);
        var values = new List<RedisValue>
        {
            Keys.Root, time.GetUtcNow().ToUnixTimeMilliseconds(), Keys.Wake.ToString(), id, batch.Name ?? "",
        };
        foreach (var callback in new[] { batch.ThenJob, batch.CatchJob, batch.FinallyJob })
        {
            AddJobValues(values, callback is null ? null : Describe(callback) with { CallbackOfBatch = id });
        }

        foreach (var job in batch.Jobs)
        {
            AddJobValues(values, Describe(job) with { BatchId = id });
        }

        await Database.ScriptEvaluateAsync(QueueScripts.PushBatch, [Keys.Batch(id)], [.. values]);
        return id;
    }

    public async Task<BatchState?> FindBatchAsync(string id)
    {
        var fields = await Database.HashGetAllAsync(Keys.Batch(id));
        return fields.Length == 0 ? null : BatchState.From(fields.ToDictionary(field => field.Name.ToString(), field => field.Value));
    }

    /// <summary>Tells every worker to exit after its current job (Laravel's <c>queue:restart</c>), so a supervisor starts new code.</summary>
    public Task SignalRestartAsync() => Database.StringSetAsync(Keys.Restart, time.GetUtcNow().ToUnixTimeMilliseconds());

    /// <summary>Jobs waiting in each queue, delayed, reserved (running), and failures not yet stored.</summary>
    public async Task<QueueSizes> SizesAsync(IEnumerable<string> queues)
    {
        var batch = Database.CreateBatch();
        var ready = queues.ToDictionary(queue => queue, queue => batch.ListLengthAsync(Keys.Ready(queue)));
        var delayed = batch.SortedSetLengthAsync(Keys.Delayed);
        var reserved = batch.SortedSetLengthAsync(Keys.Reserved);
        var failed = batch.ListLengthAsync(Keys.Failed);
        batch.Execute();
        await Task.WhenAll([.. ready.Values, delayed, reserved, failed]);
        return new QueueSizes(ready.ToDictionary(pair => pair.Key, pair => pair.Value.Result), delayed.Result, reserved.Result, failed.Result);
    }

    internal static long TimeoutMilliseconds(JobEnvelope envelope) => (envelope.Timeout ?? 0) * 1000L;

    private static void AddJobValues(List<RedisValue> values, JobEnvelope? envelope)
    {
        values.Add(envelope?.Uuid ?? "");
        values.Add(envelope?.Queue ?? "");
        values.Add(envelope?.ToJson() ?? "");
        values.Add(envelope is null ? 0 : TimeoutMilliseconds(envelope));
    }
}

public sealed record QueueSizes(IReadOnlyDictionary<string, long> Ready, long Delayed, long Reserved, long FailedUnrecorded);
