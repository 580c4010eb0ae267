using Aspire.Hosting.Testing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Queue;

namespace VSmenu.IntegrationTests.Jobs;

/// <summary>The topology's own queue (default prefix), to push jobs as the api or the scheduler would.</summary>
internal sealed class TopologyQueue : IAsyncDisposable
{
    private readonly IConnectionMultiplexer _redis;

    private TopologyQueue(IConnectionMultiplexer redis)
    {
        _redis = redis;
        Queue = new JobQueue(redis, Options.Create(new QueueOptions()), TimeProvider.System);
    }

    public JobQueue Queue { get; }

    public static async Task<TopologyQueue> ConnectAsync(TopologyFixture topology) =>
        new(await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken) ?? ""));

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
