using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// Runs each side effect of a job once across its attempts, by job uuid: a retry after a partial failure does not repeat
/// what was done (the customer's e-mail went out, the restaurant's did not: the retry sends only the restaurant's), and
/// two attempts running at once (a worker too starved to renew its lease while another took the job back) do not both
/// do it: an attempt claims the step before its effect and the other waits until the step is done or the claim lapses.
/// A claim lapses after <see cref="QueueWorkerOptions.StepClaim"/>, so the step of an attempt killed mid-effect is done
/// again by the next one: at least once, never twice at the same time.
/// </summary>
public sealed class JobSteps(IConnectionMultiplexer redis, JobQueue queue, IOptions<QueueWorkerOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(7);

    private static readonly TimeSpan ClaimPoll = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs <paramref name="effect"/> unless step <paramref name="step"/> of job <paramref name="jobUuid"/> is done; true when it ran it.</summary>
    public async Task<bool> RunOnceAsync(string jobUuid, string step, Func<Task> effect, CancellationToken cancellationToken)
    {
        var done = queue.Keys.Steps(jobUuid);
        var claim = queue.Keys.StepClaim(jobUuid, step);
        var claimant = Guid.NewGuid().ToString("N");
        var database = redis.GetDatabase();
        while (true)
        {
            if (await database.HashExistsAsync(done, step))
            {
                return false;
            }

            if (await database.LockTakeAsync(claim, claimant, options.Value.StepClaim))
            {
                // The attempt that held the claim may have finished the step between the look above and the take.
                if (!await database.HashExistsAsync(done, step))
                {
                    break;
                }

                await database.LockReleaseAsync(claim, claimant);
                return false;
            }

            await Task.Delay(ClaimPoll, time, cancellationToken);
        }

        try
        {
            await effect();
        }
        catch
        {
            await database.LockReleaseAsync(claim, claimant);
            throw;
        }

        await MarkDoneAsync(database, done, step, claim);
        return true;
    }

    /// <summary>
    /// Records the step done, and then lets the claim go, in one transaction: an attempt waiting on the claim then finds the
    /// step done. The effect has happened, so a Redis that does not answer (frozen, failing over) is asked again for as
    /// long as the claim lives rather than given up on: given up on, the claim would lapse with the step not done, and
    /// the next attempt would do the effect a second time (a chaos run's Redis freeze sent an order's mail twice so).
    /// </summary>
    private async Task MarkDoneAsync(IDatabase database, RedisKey done, string step, RedisKey claim)
    {
        var deadline = time.GetUtcNow() + options.Value.StepClaim;
        var pause = ClaimPoll;
        while (true)
        {
            try
            {
                var transaction = database.CreateTransaction();
                _ = transaction.HashSetAsync(done, step, 1);
                _ = transaction.KeyExpireAsync(done, Retention);
                _ = transaction.KeyDeleteAsync(claim);
                await transaction.ExecuteAsync();
                return;
            }
            catch (Exception exception) when (exception is RedisException or TimeoutException && time.GetUtcNow() + pause < deadline)
            {
                // Not the caller's cancellation: the job being cancelled now would not undo its effect.
                await Task.Delay(pause, time);
                pause = TimeSpan.FromTicks(Math.Min(pause.Ticks * 2, TimeSpan.FromSeconds(1).Ticks));
            }
        }
    }
}
