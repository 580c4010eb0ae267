using Microsoft.Extensions.DependencyInjection;

namespace VSmenu.Queue.Worker;

/// <summary>Does the work a job describes. One instance per attempt, from a fresh DI scope.</summary>
public interface IJobHandler<in TJob> where TJob : IJob
{
    /// <summary>
    /// Runs one attempt. <paramref name="cancellationToken"/> fires at the job's timeout, when the worker must stop, or
    /// when it lost the job's lease; a handler that ignores it past the grace period gets its worker recycled.
    /// </summary>
    Task HandleAsync(TJob job, JobContext context, CancellationToken cancellationToken);

    /// <summary>Laravel's <c>failed()</c>: called once, when the job has failed for good.</summary>
    Task FailedAsync(TJob job, Exception exception, CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>What an attempt knows about itself. <see cref="BatchId"/> is its batch, or the batch it is a callback of.</summary>
public sealed record JobContext(string Uuid, string Name, string Queue, int Attempt, int MaxTries, string? BatchId, long? TenantId);

/// <summary>
/// Runs before each attempt, in the attempt's service scope (as Hangfire's server filters do): what every job of a kind
/// needs set up, such as the restaurant the scoped services work for, is done once here instead of in each handler.
/// </summary>
public interface IJobAttemptFilter
{
    void OnAttempt(JobContext context);
}

internal static class JobAttemptFilters
{
    /// <summary>Runs every registered filter for <paramref name="context"/> and returns the attempt's services, ready for its handler.</summary>
    public static IServiceProvider Prepare(IServiceProvider services, JobContext context)
    {
        foreach (var filter in services.GetServices<IJobAttemptFilter>())
        {
            filter.OnAttempt(context);
        }

        return services;
    }
}
