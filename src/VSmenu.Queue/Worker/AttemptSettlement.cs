using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Ends an attempt in Redis as the runner decided (done, retried, failed for good with the job's <c>failed</c> hook, or
/// given back) and records it. Ends are fenced by the reservation, so a worker that lost the job changes nothing.
/// </summary>
internal sealed partial class AttemptSettlement(ReservationStore store, IServiceScopeFactory scopes, TimeProvider time, ILogger<AttemptSettlement> logger)
{
    /// <summary>How long a job's <c>failed</c> hook may take (it runs after the job has ended).</summary>
    private static readonly TimeSpan FailedHookTimeout = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan EndRetryDelay = TimeSpan.FromMilliseconds(500);

    /// <param name="attempt">The attempt as the runner left it.</param>
    /// <param name="acked">Whether the slot already acked the done job (with its next reservation); null when it did not try.</param>
    public async Task<AttemptOutcome> SettleAsync(AttemptResult attempt, bool? acked = null)
    {
        var reservation = attempt.Reservation;
        var ended = acked ?? await EndAsync(reservation, attempt.End);
        var outcome = ended ? attempt.End.Outcome : AttemptOutcome.Lost;
        if (outcome is AttemptOutcome.Failed && attempt.End is AttemptEnd.Fail failure)
        {
            await FailedAsync(reservation, failure);
        }

        if (attempt.Envelope is { } envelope)
        {
            if (attempt.RuntimeMs is { } runtime)
            {
                attempt.Span?.SetTag("vsmenu.job.outcome", outcome.ToString().ToLowerInvariant());
                QueueTelemetry.RecordAttempt(envelope, outcome.ToString().ToLowerInvariant(), runtime);
            }

            if (outcome is AttemptOutcome.Lost)
            {
                LogLost(envelope.Job, envelope.Uuid, reservation.Attempt);
            }
        }

        return attempt.Stuck ? AttemptOutcome.Stuck : outcome;
    }

    private Task<bool> EndAsync(Reservation reservation, AttemptEnd end) => end switch
    {
        AttemptEnd.Complete complete => RetryingAsync(reservation, () => store.CompleteAsync(reservation, complete.BatchId)),
        AttemptEnd.Release release => RetryingAsync(reservation, () => store.ReleaseAsync(reservation, release.Queue, release.Delay, release.Refund)),
        AttemptEnd.Fail fail => RetryingAsync(reservation, () => store.FailAsync(reservation, fail.BatchId, fail.Failure.ToJson())),
        _ => Task.FromResult(false),
    };

    /// <summary>
    /// Ends the attempt, trying again while Redis does not answer: the reservation is still this worker's (its heartbeat
    /// renews the lease as soon as Redis is back, and maintenance takes back no lease right after a gap), so the job is
    /// neither lost nor run twice. Each end presents the exact reservation, so a repeat after one that did run changes
    /// nothing. Stops when the lease is lost.
    /// </summary>
    private async Task<bool> RetryingAsync(Reservation reservation, Func<Task<bool>> end)
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

    private async Task FailedAsync(Reservation reservation, AttemptEnd.Fail failure)
    {
        LogFailed(failure.Error, failure.Job, failure.Failure.Uuid, reservation.Attempt);
        if (failure.Hook is not { } hook)
        {
            return;
        }

        using var hookTimeout = new CancellationTokenSource(FailedHookTimeout, time);
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await hook.Registration.Failed(scope.ServiceProvider, hook.Job, failure.Error, hookTimeout.Token);
        }
        catch (Exception hookError)
        {
            LogFailedHookFailed(hookError, failure.Job, failure.Failure.Uuid);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Redis did not answer the end of {Member}; trying again")]
    private partial void LogEndRetrying(Exception exception, string member);

    [LoggerMessage(LogLevel.Error, "{Job} {JobId} failed for good at attempt {Attempt}")]
    private partial void LogFailed(Exception exception, string job, string jobId, int attempt);

    [LoggerMessage(LogLevel.Error, "The failed hook of {Job} {JobId} threw")]
    private partial void LogFailedHookFailed(Exception exception, string job, string jobId);

    [LoggerMessage(LogLevel.Warning, "{Job} {JobId} attempt {Attempt} no longer held its lease; its end was not recorded")]
    private partial void LogLost(string job, string jobId, int attempt);
}
