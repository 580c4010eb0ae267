using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VSmenu.Queue;

/// <summary>
/// A job as it travels and is stored: what to run, with which data and rules, and the trace it belongs to. The
/// attempt count is not in it: Redis keeps that beside the payload, so a reservation never rewrites the JSON.
/// </summary>
public sealed record JobEnvelope
{
    public static readonly JsonSerializerOptions SerializerOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The job's id: its Redis key, its <c>failed_jobs.uuid</c> and the idempotency key of its side effects.</summary>
    public required string Uuid { get; init; }

    /// <summary>The job type's <see cref="JobAttribute.Name"/>.</summary>
    public required string Job { get; init; }

    public required string Queue { get; init; }

    public required JsonElement Data { get; init; }

    public int? Tries { get; init; }

    public int? Timeout { get; init; }

    public IReadOnlyList<int>? Backoff { get; init; }

    /// <summary>Unix seconds after which the job is not retried, whatever its tries (Laravel's <c>retryUntil</c>).</summary>
    public long? RetryUntil { get; init; }

    public long? TenantId { get; init; }

    /// <summary>The batch this job belongs to: its end is counted there.</summary>
    public string? BatchId { get; init; }

    /// <summary>The batch whose <c>then</c>, <c>catch</c> or <c>finally</c> this job is (not counted in it).</summary>
    public string? CallbackOfBatch { get; init; }

    /// <summary>W3C trace context of the code that dispatched it, so the job's span continues that trace.</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    /// <summary>Unix milliseconds.</summary>
    public long CreatedAt { get; init; }

    public static JobEnvelope For<TJob>(TJob job, JobDispatch? dispatch, TimeProvider time) where TJob : IJob
    {
        var definition = JobDefinition.Of(job.GetType());
        var current = Activity.Current;
        return new JobEnvelope
        {
            Uuid = Guid.CreateVersion7().ToString(),
            Job = definition.Name,
            Queue = dispatch?.Queue ?? definition.Queue,
            Data = JsonSerializer.SerializeToElement(job, job.GetType(), SerializerOptions),
            Tries = definition.Tries > 0 ? definition.Tries : null,
            Timeout = definition.TimeoutSeconds > 0 ? definition.TimeoutSeconds : null,
            Backoff = definition.BackoffSeconds.Count > 0 ? definition.BackoffSeconds : null,
            RetryUntil = dispatch?.RetryUntil?.ToUnixTimeSeconds(),
            TenantId = (job as ITenantJob)?.TenantId,
            TraceParent = current?.Id,
            TraceState = current?.TraceStateString,
            CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
        };
    }

    /// <summary>The same job under a new id, for a retry of a failed one (Horizon's retry keeps the old record apart).</summary>
    public JobEnvelope Renewed(TimeProvider time) => this with
    {
        Uuid = Guid.CreateVersion7().ToString(),
        BatchId = null,
        CallbackOfBatch = null,
        CreatedAt = time.GetUtcNow().ToUnixTimeMilliseconds(),
    };

    public string ToJson() => JsonSerializer.Serialize(this, SerializerOptions);

    public static JobEnvelope FromJson(string json) =>
        JsonSerializer.Deserialize<JobEnvelope>(json, SerializerOptions) ?? throw new JsonException("A job payload is null.");

    /// <summary>Seconds to wait before attempt <paramref name="nextAttempt"/>: the backoff entry for it, the last one repeating.</summary>
    public TimeSpan BackoffBefore(int nextAttempt) => Backoff is { Count: > 0 } backoff
        ? TimeSpan.FromSeconds(backoff[Math.Clamp(nextAttempt - 2, 0, backoff.Count - 1)])
        : TimeSpan.Zero;
}
