using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using VSmenu.Queue.Scheduling;
using VSmenu.Queue.Worker;

namespace VSmenu.Queue;

public static class QueueExtensions
{
    /// <summary>
    /// Adds <see cref="JobQueue"/>, to dispatch jobs, on the process's Redis multiplexer (registered by the caller,
    /// <c>AddVsmenuRedis</c>), with the key prefix of section <c>Queue</c>.
    /// </summary>
    public static TBuilder AddJobQueue<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<QueueOptions>().BindConfiguration(QueueOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<JobQueue>();
        return builder;
    }

    /// <summary>
    /// Adds a worker that runs the registered jobs (<see cref="AddJobHandler{TJob,THandler}"/>) with the options of
    /// section <c>Queue:Worker</c>, and <see cref="SyncDispatcher"/> for <c>dispatchSync</c>.
    /// </summary>
    public static TBuilder AddQueueWorker<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.AddJobQueue();
        builder.Services.AddOptions<QueueWorkerOptions>().BindConfiguration(QueueWorkerOptions.SectionName)
            .Validate(options => options.QueueList.Count > 0, "Queue:Worker:Queue names no queue.")
            .Validate(options => options.Concurrency > 0, "Queue:Worker:Concurrency must be positive.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(services => new JobRegistry(services.GetServices<JobRegistration>()));
        builder.Services.TryAddSingleton<ReservationStore>();
        builder.Services.TryAddSingleton<JobRunner>();
        builder.Services.TryAddSingleton<AttemptSettlement>();
        builder.Services.TryAddSingleton<RunningReservations>();
        builder.Services.TryAddSingleton<WorkerStop>();
        builder.Services.TryAddSingleton<WakeSignal>();
        builder.Services.TryAddSingleton<SyncDispatcher>();
        builder.Services.TryAddSingleton<JobSteps>();
        // Hosted services stop in reverse order: the slots first, then maintenance, the heartbeat and the wake-ups they rely on.
        builder.Services.AddHostedService<WakeSubscription>();
        builder.Services.AddHostedService<WorkerHeartbeat>();
        builder.Services.AddHostedService<QueueMaintenance>();
        builder.Services.AddHostedService<QueueWorker>();
        builder.Services.AddHostedService<RecurringJobScheduler>();
        return builder;
    }

    /// <summary>
    /// Dispatches the job <paramref name="create"/> builds at every occurrence of <paramref name="cron"/> (five fields, or
    /// six with seconds) in <paramref name="timeZone"/> (UTC when null), once per occurrence across all workers.
    /// </summary>
    public static IServiceCollection AddRecurringJob(
        this IServiceCollection services, string name, string cron, TimeZoneInfo? timeZone, Func<DateTimeOffset, IJob> create) =>
        services.AddSingleton(new RecurringJob(name, RecurringJob.ParseSchedule(cron), timeZone ?? TimeZoneInfo.Utc, create));

    /// <summary>Lets this process run <typeparamref name="TJob"/> with <typeparamref name="THandler"/> (scoped: one per attempt).</summary>
    public static IServiceCollection AddJobHandler<TJob, THandler>(this IServiceCollection services)
        where TJob : IJob
        where THandler : class, IJobHandler<TJob>
    {
        services.TryAddScoped<THandler>();
        services.AddSingleton(JobRegistration.For<TJob, THandler>());
        return services;
    }
}
