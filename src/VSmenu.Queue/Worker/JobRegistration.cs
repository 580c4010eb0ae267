using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace VSmenu.Queue.Worker;

/// <summary>A job type this process can run: its name, how to read its data and how to call its handler.</summary>
internal sealed record JobRegistration(
    string Name,
    Func<JsonElement, IJob> Read,
    Func<IServiceProvider, IJob, JobContext, CancellationToken, Task> Handle,
    Func<IServiceProvider, IJob, Exception, CancellationToken, Task> Failed)
{
    public static JobRegistration For<TJob, THandler>()
        where TJob : IJob
        where THandler : class, IJobHandler<TJob> => new(
        JobDefinition.Of<TJob>().Name,
        data => data.Deserialize<TJob>(JobEnvelope.SerializerOptions) ?? throw new JsonException($"The data of a {typeof(TJob).Name} is null."),
        (services, job, context, cancellationToken) => services.GetRequiredService<THandler>().HandleAsync((TJob)job, context, cancellationToken),
        (services, job, exception, cancellationToken) => services.GetRequiredService<THandler>().FailedAsync((TJob)job, exception, cancellationToken));
}

/// <summary>The job types registered in this process, by name.</summary>
public sealed class JobRegistry
{
    private readonly Dictionary<string, JobRegistration> _byName;

    internal JobRegistry(IEnumerable<JobRegistration> registrations) =>
        _byName = registrations.ToDictionary(registration => registration.Name);

    internal JobRegistration? Find(string name) => _byName.GetValueOrDefault(name);
}
