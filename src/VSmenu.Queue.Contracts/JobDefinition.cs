using System.Collections.Concurrent;
using System.Reflection;

namespace VSmenu.Queue;

/// <summary>A job type's name and defaults, read once from its <see cref="JobAttribute"/>.</summary>
public sealed record JobDefinition(string Name, string Queue, int Tries, int TimeoutSeconds, IReadOnlyList<int> BackoffSeconds)
{
    private static readonly ConcurrentDictionary<Type, JobDefinition> Definitions = new();

    public static JobDefinition Of(Type jobType) => Definitions.GetOrAdd(jobType, type =>
    {
        var attribute = type.GetCustomAttribute<JobAttribute>()
            ?? throw new InvalidOperationException($"{type.Name} is not a job: it has no [Job] attribute.");
        return new JobDefinition(attribute.Name, attribute.Queue, attribute.Tries, attribute.TimeoutSeconds, attribute.BackoffSeconds);
    });

    public static JobDefinition Of<TJob>() where TJob : IJob => Of(typeof(TJob));
}
