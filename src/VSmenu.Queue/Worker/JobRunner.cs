using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Resilience;

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

/// <summary>
/// Runs one attempt of a reserved job and ends it: done, retried after its backoff, failed for good (with the job's
/// <c>failed</c> hook), or given back. Ends are fenced by the reservation, so a worker that lost the job changes nothing.
/// </summary>
internal sealed partial class JobRunner(
    ReservationStore store,
    JobRegistry registry,
    IServiceScopeFactory scopes,
    IOptions<QueueWorkerOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    /// <summary>How long a job's <c>failed</c> hook may take (it runs after the job has ended).</summary>
    private static readonly TimeSpan FailedHookTimeout = TimeSpan.FromSeconds(30);

    /// <summary>How long a job whose backing store was down waits before it is tried again (its attempt given back).</summary>
    private static readonly TimeSpan BackingStoreRetryDelay = TimeSpan.FromSeconds(2);

    private static readonly TimeSpan EndRetryDelay = TimeSpan.FromMilliseconds(500);

    private readonly QueueWorkerOptions _options = options.Value;

    /// <param name="reservation">The attempt to run.</param>
    /// <param name="giveBack">Fires when the worker must stop: the attempt is cancelled and the job given back.</param>
    /// <param name="completeAndTakeNext">
    /// When given, acks a done job outside any batch in the same round trip as the slot's next reservation.
    /// </param>
    public async Task<AttemptOutcome> RunAsync(Reservation reservation, CancellationToken giveBack, Func<Reservation, Task<bool>>? completeAndTakeNext = null)
    {
        JobEnvelope envelope;
        try
        {
            envelope = JobEnvelope.FromJson(reservation.Payload);
        }
        catch (JsonException exception)
        {
            var unreadable = new FailedJob(reservation.Id, "unknown", reservation.Payload, exception.ToString(), time.GetUtcNow(), TenantId: null);
            await EndAsync(reservation, () => store.FailAsync(reservation, batchId: null, unreadable.ToJson()));
            LogUnreadable(exception, reservation.Id);
            return AttemptOutcome.Failed;
        }

        var maxTries = envelope.Tries ?? _options.Tries;
        var triesUsed = reservation.TriesUsed(_options.AbandonsForgiven);
        var registration = registry.Find(envelope.Job);
        if (registration is null)
        {
            return await FailAsync(reservation, envelope, new JobNotRunnableException($"No handler for job '{envelope.Job}' in this worker."), job: null, registration: null);
        }

        IJob job;
        try
        {
            job = registration.Read(envelope.Data);
        }
        catch (JsonException exception)
        {
            return await FailAsync(reservation, envelope, new JobNotRunnableException($"The data of job '{envelope.Job}' is unreadable: {exception.Message}"), job: null, registration: null);
        }

        if (envelope.RetryUntil is null ? maxTries > 0 && triesUsed > maxTries : RetryDeadlinePassed(envelope))
        {
            // Attempts are counted when taken: one more than allowed means the last one was abandoned by a dead worker.
            return await FailAsync(reservation, envelope, new MaxAttemptsExceededException(
                $"{envelope.Job} has been attempted too many times ({triesUsed - 1} of {maxTries}, the last abandoned; {reservation.Abandoned} abandoned in all) or its retry deadline passed."), job, registration);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        QueueTelemetry.RecordWait(envelope, Math.Max(0, now - reservation.AvailableAt));
        using var activity = QueueTelemetry.StartProcess(envelope, reservation.Attempt, job);
        var started = time.GetTimestamp();
        var context = new JobContext(envelope.Uuid, envelope.Job, envelope.Queue, reservation.Attempt, maxTries, envelope.BatchId ?? envelope.CallbackOfBatch, envelope.TenantId);
        var timeout = TimeSpan.FromSeconds(envelope.Timeout ?? _options.Timeout);

        using var timedOut = new CancellationTokenSource(timeout, time);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(timedOut.Token, giveBack, reservation.Lost);
        await using var scope = scopes.CreateAsyncScope();
        var work = Task.Run(() => registration.Handle(JobAttemptFilters.Prepare(scope.ServiceProvider, context), job, context, attempt.Token), CancellationToken.None);

        Exception? error = null;
        var stuck = false;
        try
        {
            await work.WaitAsync(attempt.Token);
        }
        catch (OperationCanceledException) when (attempt.IsCancellationRequested)
        {
            stuck = !await FinishesWithinGraceAsync(work);
        }
        catch (Exception exception)
        {
            error = exception;
        }

        var runtime = time.GetElapsedTime(started).TotalMilliseconds;
        AttemptOutcome outcome;
        if (work.IsCompletedSuccessfully)
        {
            bool completed;
            try
            {
                completed = envelope.BatchId is null && completeAndTakeNext is not null
                    ? await completeAndTakeNext(reservation)
                    : await store.CompleteAsync(reservation, envelope.BatchId);
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException)
            {
                // Redis may still run the call it did not answer: the plain ack is safe to repeat, taking a next job is not.
                completed = await EndAsync(reservation, () => store.CompleteAsync(reservation, envelope.BatchId));
            }

            outcome = completed ? AttemptOutcome.Done : AttemptOutcome.Lost;
        }
        else if (reservation.Lost.IsCancellationRequested)
        {
            outcome = AttemptOutcome.Lost;
        }
        else if (giveBack.IsCancellationRequested)
        {
            outcome = await EndAsync(reservation, () => store.ReleaseAsync(reservation, envelope.Queue, TimeSpan.Zero, refund: true)) ? AttemptOutcome.Released : AttemptOutcome.Lost;
        }
        else if (!timedOut.IsCancellationRequested && DependencyFailure.IsBackingStoreDown(error ?? work.Exception))
        {
            // PostgreSQL or Redis did not answer: not the job's fault, so the attempt is given back and the job waits for
            // the store to come back, however long, instead of using up its tries (and landing in failed_jobs) meanwhile.
            LogBackingStoreDown(error ?? work.Exception, envelope.Job, envelope.Uuid, BackingStoreRetryDelay.TotalSeconds);
            outcome = await EndAsync(reservation, () => store.ReleaseAsync(reservation, envelope.Queue, BackingStoreRetryDelay, refund: true)) ? AttemptOutcome.Released : AttemptOutcome.Lost;
        }
        else
        {
            error = timedOut.IsCancellationRequested
                ? new JobTimedOutException($"{envelope.Job} has timed out after {timeout.TotalSeconds:0.###} s.")
                : error ?? work.Exception?.InnerException ?? new InvalidOperationException($"{envelope.Job} ended without a result.");
            outcome = await RetryOrFailAsync(reservation, envelope, maxTries, triesUsed, error, job, registration);
        }

        activity?.SetTag("vsmenu.job.outcome", outcome.ToString().ToLowerInvariant());
        if (error is not null)
        {
            activity?.SetStatus(ActivityStatusCode.Error, error.Message);
        }

        QueueTelemetry.RecordAttempt(envelope, outcome.ToString().ToLowerInvariant(), runtime);
        if (outcome is AttemptOutcome.Lost)
        {
            LogLost(envelope.Job, envelope.Uuid, reservation.Attempt);
        }

        return stuck ? AttemptOutcome.Stuck : outcome;
    }

    private async Task<bool> FinishesWithinGraceAsync(Task work)
    {
        try
        {
            await work.WaitAsync(_options.CancellationGrace, time);
        }
        catch (TimeoutException)
        {
            return false;
        }
        catch (Exception)
        {
            // It stopped, by throwing: what counts is that it stopped.
        }

        return true;
    }

    private async Task<AttemptOutcome> RetryOrFailAsync(
        Reservation reservation, JobEnvelope envelope, int maxTries, int triesUsed, Exception error, IJob job, JobRegistration registration)
    {
        var canRetry = envelope.RetryUntil is not null ? !RetryDeadlinePassed(envelope) : maxTries == 0 || triesUsed < maxTries;
        if (!canRetry)
        {
            return await FailAsync(reservation, envelope, error, job, registration);
        }

        var backoff = envelope.BackoffBefore(triesUsed + 1);
        LogRetrying(error, envelope.Job, envelope.Uuid, reservation.Attempt, backoff.TotalSeconds);
        return await EndAsync(reservation, () => store.ReleaseAsync(reservation, envelope.Queue, backoff, refund: false)) ? AttemptOutcome.Retried : AttemptOutcome.Lost;
    }

    private async Task<AttemptOutcome> FailAsync(
        Reservation reservation, JobEnvelope envelope, Exception error, IJob? job, JobRegistration? registration)
    {
        var failure = FailedJob.Of(envelope, reservation.Payload, error, time.GetUtcNow());
        if (!await EndAsync(reservation, () => store.FailAsync(reservation, envelope.BatchId, failure.ToJson())))
        {
            return AttemptOutcome.Lost;
        }

        LogFailed(error, envelope.Job, envelope.Uuid, reservation.Attempt);
        if (job is not null && registration is not null)
        {
            using var hookTimeout = new CancellationTokenSource(FailedHookTimeout, time);
            await using var scope = scopes.CreateAsyncScope();
            try
            {
                await registration.Failed(scope.ServiceProvider, job, error, hookTimeout.Token);
            }
            catch (Exception hookError)
            {
                LogFailedHookFailed(hookError, envelope.Job, envelope.Uuid);
            }
        }

        return AttemptOutcome.Failed;
    }

    /// <summary>
    /// Ends the attempt, trying again while Redis does not answer: the reservation is still this worker's (its heartbeat
    /// renews the lease as soon as Redis is back, and maintenance takes back no lease right after a gap), so the job is
    /// neither lost nor run twice. Each end presents the exact reservation, so a repeat after one that did run changes
    /// nothing. Stops when the lease is lost.
    /// </summary>
    private async Task<bool> EndAsync(Reservation reservation, Func<Task<bool>> end)
    {
        while (true)
        {
            try
            {
                return await end();
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException && !reservation.Lost.IsCancellationRequested)
            {
                LogEndRetrying(exception, reservation.Member);
                await Task.Delay(EndRetryDelay, time);
            }
        }
    }

    private bool RetryDeadlinePassed(JobEnvelope envelope) =>
        envelope.RetryUntil is { } until && time.GetUtcNow().ToUnixTimeSeconds() >= until;

    [LoggerMessage(LogLevel.Error, "Job {JobId} has an unreadable payload; stored as failed")]
    private partial void LogUnreadable(Exception exception, string jobId);

    [LoggerMessage(LogLevel.Warning, "{Job} {JobId} attempt {Attempt} failed; retrying in {BackoffSeconds} s")]
    private partial void LogRetrying(Exception exception, string job, string jobId, int attempt, double backoffSeconds);

    [LoggerMessage(LogLevel.Warning, "{Job} {JobId} could not reach PostgreSQL or Redis; tried again in {DelaySeconds} s without using an attempt")]
    private partial void LogBackingStoreDown(Exception? exception, string job, string jobId, double delaySeconds);

    [LoggerMessage(LogLevel.Warning, "Redis did not answer the end of {Member}; trying again")]
    private partial void LogEndRetrying(Exception exception, string member);

    [LoggerMessage(LogLevel.Error, "{Job} {JobId} failed for good at attempt {Attempt}")]
    private partial void LogFailed(Exception exception, string job, string jobId, int attempt);

    [LoggerMessage(LogLevel.Error, "The failed hook of {Job} {JobId} threw")]
    private partial void LogFailedHookFailed(Exception exception, string job, string jobId);

    [LoggerMessage(LogLevel.Warning, "{Job} {JobId} attempt {Attempt} no longer held its lease; its end was not recorded")]
    private partial void LogLost(string job, string jobId, int attempt);
}
