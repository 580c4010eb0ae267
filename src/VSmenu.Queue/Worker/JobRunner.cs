using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VSmenu.Resilience;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Runs one attempt of a reserved job and decides how it ends: done, retried after its backoff, failed for good, or
/// given back. It does not touch the queue: the slot ends the attempt (<see cref="AttemptSettlement"/>).
/// </summary>
internal sealed partial class JobRunner(
    JobRegistry registry,
    IServiceScopeFactory scopes,
    IOptions<QueueWorkerOptions> options,
    TimeProvider time,
    ILogger<JobRunner> logger)
{
    /// <summary>How long a job whose backing store was down waits before it is tried again (its attempt given back).</summary>
    private static readonly TimeSpan BackingStoreRetryDelay = TimeSpan.FromSeconds(2);

    private readonly QueueWorkerOptions _options = options.Value;

    /// <param name="reservation">The attempt to run.</param>
    /// <param name="giveBack">Fires when the worker must stop: the attempt is cancelled and the job given back.</param>
    public async Task<AttemptResult> RunAsync(Reservation reservation, CancellationToken giveBack)
    {
        if (reservation.Lost.IsCancellationRequested)
        {
            // Taken back while it waited behind the jobs reserved with it: it is another worker's now.
            return new AttemptResult(reservation, new AttemptEnd.Leave());
        }

        JobEnvelope envelope;
        try
        {
            envelope = JobEnvelope.FromJson(reservation.Payload);
        }
        catch (JsonException exception)
        {
            var unreadable = new FailedJob(reservation.Id, "unknown", reservation.Payload, exception.ToString(), time.GetUtcNow(), TenantId: null);
            return new AttemptResult(reservation, new AttemptEnd.Fail(BatchId: null, "unknown", unreadable, exception, Hook: null));
        }

        var maxTries = envelope.Tries ?? _options.Tries;
        var triesUsed = reservation.TriesUsed(_options.AbandonsForgiven);
        var registration = registry.Find(envelope.Job);
        if (registration is null)
        {
            return NotRun(reservation, envelope, new JobNotRunnableException($"No handler for job '{envelope.Job}' in this worker."), hook: null);
        }

        IJob job;
        try
        {
            job = registration.Read(envelope.Data);
        }
        catch (JsonException exception)
        {
            return NotRun(reservation, envelope, new JobNotRunnableException($"The data of job '{envelope.Job}' is unreadable: {exception.Message}"), hook: null);
        }

        if (envelope.RetryUntil is null ? maxTries > 0 && triesUsed > maxTries : RetryDeadlinePassed(envelope))
        {
            // Attempts are counted when taken: one more than allowed means the last one was abandoned by a dead worker.
            return NotRun(reservation, envelope, new MaxAttemptsExceededException(
                $"{envelope.Job} has been attempted too many times ({triesUsed - 1} of {maxTries}, the last abandoned; {reservation.Abandoned} abandoned in all) or its retry deadline passed."),
                new FailedHook(job, registration));
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        QueueTelemetry.RecordWait(envelope, Math.Max(0, now - reservation.AvailableAt));
        var activity = QueueTelemetry.StartProcess(envelope, reservation.Attempt, job);
        try
        {
            var (end, error, stuck, runtime) = await HandleAsync(reservation, envelope, job, registration, maxTries, triesUsed, giveBack);
            if (error is not null)
            {
                activity?.SetStatus(ActivityStatusCode.Error, error.Message);
            }

            return new AttemptResult(reservation, end, envelope, activity, runtime, stuck);
        }
        catch
        {
            activity?.Dispose();
            throw;
        }
    }

    private async Task<(AttemptEnd End, Exception? Error, bool Stuck, double RuntimeMs)> HandleAsync(
        Reservation reservation, JobEnvelope envelope, IJob job, JobRegistration registration, int maxTries, int triesUsed, CancellationToken giveBack)
    {
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
        AttemptEnd end;
        if (work.IsCompletedSuccessfully)
        {
            end = new AttemptEnd.Complete(envelope.BatchId);
        }
        else if (reservation.Lost.IsCancellationRequested)
        {
            end = new AttemptEnd.Leave();
        }
        else if (giveBack.IsCancellationRequested)
        {
            end = new AttemptEnd.Release(envelope.Queue, TimeSpan.Zero, Refund: true);
        }
        else if (!timedOut.IsCancellationRequested && DependencyFailure.IsBackingStoreDown(error ?? work.Exception))
        {
            // PostgreSQL or Redis did not answer: not the job's fault, so the attempt is given back and the job waits for
            // the store to come back, however long, instead of using up its tries (and landing in failed_jobs) meanwhile.
            LogBackingStoreDown(error ?? work.Exception, envelope.Job, envelope.Uuid, BackingStoreRetryDelay.TotalSeconds);
            end = new AttemptEnd.Release(envelope.Queue, BackingStoreRetryDelay, Refund: true);
        }
        else
        {
            error = timedOut.IsCancellationRequested
                ? new JobTimedOutException($"{envelope.Job} has timed out after {timeout.TotalSeconds:0.###} s.")
                : error ?? work.Exception?.InnerException ?? new InvalidOperationException($"{envelope.Job} ended without a result.");
            end = RetryOrFail(reservation, envelope, maxTries, triesUsed, error, new FailedHook(job, registration));
        }

        return (end, error, stuck, runtime);
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

    private AttemptEnd RetryOrFail(Reservation reservation, JobEnvelope envelope, int maxTries, int triesUsed, Exception error, FailedHook hook)
    {
        var canRetry = envelope.RetryUntil is not null ? !RetryDeadlinePassed(envelope) : maxTries == 0 || triesUsed < maxTries;
        if (!canRetry)
        {
            return FailedForGood(reservation, envelope, error, hook);
        }

        var backoff = envelope.BackoffBefore(triesUsed + 1);
        LogRetrying(error, envelope.Job, envelope.Uuid, reservation.Attempt, backoff.TotalSeconds);
        return new AttemptEnd.Release(envelope.Queue, backoff, Refund: false);
    }

    /// <summary>An attempt that could not run the job, which ends as failed for good.</summary>
    private AttemptResult NotRun(Reservation reservation, JobEnvelope envelope, Exception error, FailedHook? hook) =>
        new(reservation, FailedForGood(reservation, envelope, error, hook), envelope);

    private AttemptEnd.Fail FailedForGood(Reservation reservation, JobEnvelope envelope, Exception error, FailedHook? hook) =>
        new(envelope.BatchId, envelope.Job, FailedJob.Of(envelope, reservation.Payload, error, time.GetUtcNow()), error, hook);

    private bool RetryDeadlinePassed(JobEnvelope envelope) =>
        envelope.RetryUntil is { } until && time.GetUtcNow().ToUnixTimeSeconds() >= until;

    [LoggerMessage(LogLevel.Warning, "{Job} {JobId} attempt {Attempt} failed; retrying in {BackoffSeconds} s")]
    private partial void LogRetrying(Exception exception, string job, string jobId, int attempt, double backoffSeconds);

    [LoggerMessage(LogLevel.Warning, "{Job} {JobId} could not reach PostgreSQL or Redis; tried again in {DelaySeconds} s without using an attempt")]
    private partial void LogBackingStoreDown(Exception? exception, string job, string jobId, double delaySeconds);
}
