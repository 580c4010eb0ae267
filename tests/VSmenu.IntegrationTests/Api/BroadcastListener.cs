using System.Text.Json.Nodes;
using System.Threading.Channels;
using Aspire.Hosting.Testing;
using StackExchange.Redis;
using VSmenu.Redis.Broadcasting;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Subscribes to one tenant's broadcast channels in Redis, as the realtime hub does, and waits for events.</summary>
public sealed class BroadcastListener : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ConnectionMultiplexer _redis;
    private readonly Channel<HeardBroadcast> _received = Channel.CreateUnbounded<HeardBroadcast>();
    private readonly List<HeardBroadcast> _seen = [];

    private BroadcastListener(ConnectionMultiplexer redis) => _redis = redis;

    public static async Task<BroadcastListener> SubscribeAsync(TopologyFixture topology, long tenantId)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken) ?? "");
        var listener = new BroadcastListener(redis);
        // SubscribeAsync returns once the server has confirmed the subscription: nothing published after it is missed.
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern($"{BroadcastChannel.Prefix}*.{tenantId}"), (channel, message) =>
            listener._received.Writer.TryWrite(new HeardBroadcast(BroadcastMessage.FromJson(message.ToString()), channel.ToString())));
        return listener;
    }

    /// <summary>The first message (seen before or arriving within the patience) that <paramref name="match"/> accepts.</summary>
    public async Task<HeardBroadcast> WaitForAsync(Func<BroadcastMessage, bool> match, string description)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Patience);
        try
        {
            while (true)
            {
                if (_seen.FirstOrDefault(heard => match(heard.Message)) is { } found)
                {
                    return found;
                }

                _seen.Add(await _received.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No broadcast {description} within {Patience.TotalSeconds} s; saw: {string.Join(", ", _seen.Select(heard => heard.Message))}");
        }
    }

    public Task<HeardBroadcast> WaitForAsync(string eventName, string channel, long id, string entity = "order") =>
        WaitForAsync(message => message.Event == eventName && message.Channel == channel && message.Data?[entity]?["id"]?.GetValue<long>() == id,
            $"{eventName} on {channel} for {entity} {id}");

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}

/// <summary>A broadcast as the hub receives it, and the Redis channel it came on.</summary>
public sealed record HeardBroadcast(BroadcastMessage Message, string RedisChannel)
{
    public JsonNode Data => Message.Data ?? throw new InvalidOperationException($"The broadcast {Message.Event} has no data.");
}
