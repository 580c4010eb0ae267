using StackExchange.Redis;
using VSmenu.Queue.Worker;

namespace VSmenu.QueueTestWorker;

public sealed class TestJobHandler(IConnectionMultiplexer redis) :
    IJobHandler<RecordJob>, IJobHandler<FlakyJob>, IJobHandler<SlowJob>, IJobHandler<TimeoutJob>
{
    public Task HandleAsync(RecordJob job, JobContext context, CancellationToken cancellationToken) => RunAsync(job, context, cancellationToken);

    public Task HandleAsync(FlakyJob job, JobContext context, CancellationToken cancellationToken) => RunAsync(job, context, cancellationToken);

    public Task HandleAsync(SlowJob job, JobContext context, CancellationToken cancellationToken) => RunAsync(job, context, cancellationToken);

    public Task HandleAsync(TimeoutJob job, JobContext context, CancellationToken cancellationToken) => RunAsync(job, context, cancellationToken);

    public Task FailedAsync(RecordJob job, Exception exception, CancellationToken cancellationToken) => RecordFailureAsync(job, exception);

    public Task FailedAsync(FlakyJob job, Exception exception, CancellationToken cancellationToken) => RecordFailureAsync(job, exception);

    public Task FailedAsync(SlowJob job, Exception exception, CancellationToken cancellationToken) => RecordFailureAsync(job, exception);

    public Task FailedAsync(TimeoutJob job, Exception exception, CancellationToken cancellationToken) => RecordFailureAsync(job, exception);

    private async Task RunAsync(TestJob job, JobContext context, CancellationToken cancellationToken)
    {
        var database = redis.GetDatabase();
        await database.ListRightPushAsync(job.Mark + ":starts", Entry(context.Attempt));
        if (job.IgnoresCancellation)
        {
            Thread.Sleep(job.RunMilliseconds);
        }
        else if (job.RunMilliseconds > 0)
        {
            await Task.Delay(job.RunMilliseconds, cancellationToken);
        }

        if (context.Attempt <= job.FailingAttempts)
        {
            throw new InvalidOperationException($"Planned failure of attempt {context.Attempt}.");
        }

        await database.ListRightPushAsync(job.Mark + ":done", Entry(context.Attempt));
        await database.ListRightPushAsync(job.Log, job.Mark);
    }

    private Task RecordFailureAsync(TestJob job, Exception exception) =>
        redis.GetDatabase().ListRightPushAsync(job.Mark + ":failed", exception.GetType().Name);

    private static string Entry(int attempt) => $"{attempt}:{Environment.ProcessId}:{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}";
}
