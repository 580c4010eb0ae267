using System.Text.Json;

namespace VSmenu.Queue.Worker;

/// <summary>
/// A job that failed for good, as the settle script queues it in Redis until the failed-job store (PostgreSQL's
/// <c>failed_jobs</c>) has it: Laravel's columns.
/// </summary>
public sealed record FailedJob(string Uuid, string Queue, string Payload, string Exception, DateTimeOffset FailedAt, long? TenantId)
{
    /// <summary>Exceptions are stored whole up to this size: enough for any stack trace, bounded for a hostile message.</summary>
    private const int MaxExceptionLength = 32 * 1024;

    public static FailedJob Of(JobEnvelope envelope, string payload, Exception exception, DateTimeOffset failedAt)
    {
        var text = exception.ToString();
        return new FailedJob(envelope.Uuid, envelope.Queue, payload, text.Length > MaxExceptionLength ? text[..MaxExceptionLength] : text, failedAt, envelope.TenantId);
    }

    public string ToJson() => JsonSerializer.Serialize(this, JobEnvelope.SerializerOptions);

    public static FailedJob FromJson(string json) =>
        JsonSerializer.Deserialize<FailedJob>(json, JobEnvelope.SerializerOptions) ?? throw new JsonException("A failed-job entry is null.");
}

/// <summary>Exceptions the engine records for a job that could not run at all.</summary>
public sealed class JobNotRunnableException(string message) : Exception(message);

/// <summary>The job's last attempt was abandoned (its worker died) and no attempts are left.</summary>
public sealed class MaxAttemptsExceededException(string message) : Exception(message);

/// <summary>An attempt ran past its timeout.</summary>
public sealed class JobTimedOutException(string message) : TimeoutException(message);
