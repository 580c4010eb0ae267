using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace VSmenu.Queue.Scheduling;

/// <summary>
/// Dispatches each <see cref="RecurringJob"/> at its occurrences. Every worker replica runs this; the first to claim an
/// occurrence in Redis (<c>SET NX</c> on the schedule's name and instant) dispatches it, so each runs once per
/// occurrence however many replicas there are. Occurrences missed while no worker ran are not caught up.
/// </summary>
internal sealed partial class RecurringJobScheduler(
    IEnumerable<RecurringJob> jobs, JobQueue queue, IConnectionMultiplexer redis, TimeProvider time, ILogger<RecurringJobScheduler> logger)
    : BackgroundService
{
    /// <summary>Timers are re-armed at least this often, so a clock change or a suspended machine does not push an occurrence far out.</summary>
    private static readonly TimeSpan LongestSleep = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan ClaimLifetime = TimeSpan.FromDays(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedules = jobs.ToList();
        if (schedules.Count == 0)
        {
            return;
        }

        var last = time.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var due = schedules.Select(job => (Job: job, At: job.NextAfter(last))).Where(next => next.At is not null).ToList();
            if (due.Count == 0)
            {
                return;
            }

            var soonest = due.Min(next => next.At!.Value);
            var wait = soonest - time.GetUtcNow();
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait < LongestSleep ? wait : LongestSleep, time, stoppingToken);
                continue;
            }

            foreach (var (job, at) in due.Where(next => next.At == soonest))
            {
                await DispatchOnceAsync(job, at!.Value);
            }

            last = soonest;
        }
    }

    private async Task DispatchOnceAsync(RecurringJob job, DateTimeOffset occurrence)
    {
        try
        {
            if (!await redis.GetDatabase().StringSetAsync(queue.Keys.Schedule(job.Name, occurrence), 1, ClaimLifetime, When.NotExists))
            {
                return;
            }

            var uuid = await queue.DispatchAsync(job.Create(occurrence));
            LogDispatched(job.Name, occurrence, uuid);
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogDispatchFailed(exception, job.Name, occurrence);
        }
    }

    [LoggerMessage(LogLevel.Information, "Recurring job {Name} of {Occurrence:o} dispatched as {JobId}")]
    private partial void LogDispatched(string name, DateTimeOffset occurrence, string jobId);

    [LoggerMessage(LogLevel.Error, "Recurring job {Name} of {Occurrence:o} could not be dispatched")]
    private partial void LogDispatchFailed(Exception exception, string name, DateTimeOffset occurrence);
}
