using Microsoft.Extensions.DependencyInjection;

namespace VSmenu.Queue.Worker;

/// <summary>Laravel's <c>dispatchSync</c>: runs a job here and now, without the queue; a failure calls its <c>failed</c> hook and is rethrown.</summary>
public sealed class SyncDispatcher(JobRegistry registry, IServiceScopeFactory scopes, TimeProvider time)
{
    public async Task DispatchSyncAsync<TJob>(TJob job, CancellationToken cancellationToken) where TJob : IJob
    {
        var envelope = JobEnvelope.For(job, dispatch: null, time);
        var registration = registry.Find(envelope.Job)
            ?? throw new InvalidOperationException($"No handler for job '{envelope.Job}' in this process.");
        using var activity = QueueTelemetry.StartProcess(envelope, attempt: 1, job);
        var context = new JobContext(envelope.Uuid, envelope.Job, envelope.Queue, Attempt: 1, MaxTries: 1, BatchId: null, envelope.TenantId);
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            await registration.Handle(JobAttemptFilters.Prepare(scope.ServiceProvider, context), job, context, cancellationToken);
        }
        catch (Exception exception)
        {
            await registration.Failed(scope.ServiceProvider, job, exception, cancellationToken);
            throw;
        }
    }
}
