using System.Diagnostics;

namespace VSmenu.Queue.Worker;

internal enum AttemptOutcome
{
    Done,
    Retried,
    Failed,
    /// <summary>Given back without using the attempt: the worker is stopping, or a backing store was down.</summary>
    Released,
    /// <summary>Another worker took the job back (this one's heartbeat died): nothing may be recorded.</summary>
    Lost,
    /// <summary>The handler ignored its cancellation past the grace period; the job was ended, the worker must recycle.</summary>
    Stuck,
}

/// <summary>How an attempt is to be ended in Redis, as <see cref="JobRunner"/> decided it; <see cref="AttemptSettlement"/> ends it.</summary>
internal abstract record AttemptEnd(AttemptOutcome Outcome)
{
    /// <summary>The job is done (and its batch, if any, counts it).</summary>
    public sealed record Complete(string? BatchId) : AttemptEnd(AttemptOutcome.Done);

    /// <summary>
    /// The job goes back to <paramref name="Queue"/> after <paramref name="Delay"/>: a retry uses the attempt, a
    /// <paramref name="Refund"/> (the worker stopping, a backing store down) does not.
    /// </summary>
    public sealed record Release(string Queue, TimeSpan Delay, bool Refund)
        : AttemptEnd(Refund ? AttemptOutcome.Released : AttemptOutcome.Retried);

    /// <summary>The job failed for good: it is stored as failed, then its <c>failed</c> hook runs, when it could be read.</summary>
    public sealed record Fail(string? BatchId, string Job, FailedJob Failure, Exception Error, FailedHook? Hook) : AttemptEnd(AttemptOutcome.Failed);

    /// <summary>Another worker took the job back while it ran: nothing may be recorded.</summary>
    public sealed record Leave() : AttemptEnd(AttemptOutcome.Lost);
}

/// <summary>The job and handler whose <c>failed</c> hook runs once a job has failed for good.</summary>
internal sealed record FailedHook(IJob Job, JobRegistration Registration);

/// <summary>
/// An attempt as the runner left it: how to end it and, once ended, what to record. It holds the attempt's span open
/// until then, so that the end is part of it.
/// </summary>
internal sealed class AttemptResult(Reservation reservation, AttemptEnd end, JobEnvelope? envelope = null, Activity? span = null, double? runtimeMs = null, bool stuck = false)
    : IDisposable
{
    public Reservation Reservation { get; } = reservation;

    public AttemptEnd End { get; } = end;

    /// <summary>The job as it was read; null when its payload was unreadable.</summary>
    public JobEnvelope? Envelope { get; } = envelope;

    public Activity? Span { get; } = span;

    /// <summary>How long the handler ran; null when it did not run (the job could not be read, or had no tries left).</summary>
    public double? RuntimeMs { get; } = runtimeMs;

    /// <summary>The handler ignored its cancellation past the grace period: the worker must recycle.</summary>
    public bool Stuck { get; } = stuck;

    public void Dispose() => Span?.Dispose();
}
