using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;
using VSmenu.Queue;
using VSmenu.Queue.Worker;

namespace VSmenu.QueueTestWorker;

/// <summary>A queue worker that runs the test jobs on the Redis of <c>ConnectionStrings:redis</c>: in a test's process or as its own.</summary>
public static class TestWorkerHost
{
    public static IHost Build(string[] args, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Configuration.AddCommandLine(args, QueueWorkerOptions.CommandLineSwitches.ToDictionary());
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        var connectionString = builder.Configuration.GetConnectionString("redis")
            ?? throw new InvalidOperationException("ConnectionStrings:redis is not set.");
        builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(connectionString));
        builder.AddQueueWorker();
        builder.Services
            .AddJobHandler<RecordJob, TestJobHandler>()
            .AddJobHandler<FlakyJob, TestJobHandler>()
            .AddJobHandler<SlowJob, TestJobHandler>()
            .AddJobHandler<TimeoutJob, TestJobHandler>();
        configure?.Invoke(builder.Services);
        return builder.Build();
    }
}
