using System.Text.Json.Nodes;
using System.Threading.Channels;
using Aspire.Hosting.Testing;
using StackExchange.Redis;

namespace VSmenu.IntegrationTests.Api;

/// <summary>Subscribes to one tenant's broadcast channels in Redis, as the realtime hub does, and waits for events.</summary>
public sealed class BroadcastListener : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly ConnectionMultiplexer _redis;
    private readonly Channel<JsonNode> _received = Channel.CreateUnbounded<JsonNode>();
    private readonly List<JsonNode> _seen = [];

    private BroadcastListener(ConnectionMultiplexer redis) => _redis = redis;

    public static async Task<BroadcastListener> SubscribeAsync(TopologyFixture topology, long tenantId)
    {
        var redis = await ConnectionMultiplexer.ConnectAsync(await topology.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken) ?? "");
        var listener = new BroadcastListener(redis);
        // SubscribeAsync returns once the server has confirmed the subscription: nothing published after it is missed.
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Pattern($"vsmenu:broadcast:*.{tenantId}"), (channel, message) =>
        {
            var json = JsonNode.Parse(message.ToString())!;
            json["redis_channel"] = channel.ToString();
            listener._received.Writer.TryWrite(json);
        });
        return listener;
    }

    /// <summary>The first message (seen before or arriving within the patience) that <paramref name="match"/> accepts.</summary>
    public async Task<JsonNode> WaitForAsync(Func<JsonNode, bool> match, string description)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(Patience);
        try
        {
            while (true)
            {
                if (_seen.FirstOrDefault(match) is { } found)
                {
                    return found;
                }

                _seen.Add(await _received.Reader.ReadAsync(deadline.Token));
            }
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"No broadcast {description} within {Patience.TotalSeconds} s; saw: {string.Join(", ", _seen.Select(m => m.ToJsonString()))}");
        }
    }

    public Task<JsonNode> WaitForAsync(string eventName, string channel, long id, string entity = "order") =>
        WaitForAsync(message => message["event"]!.GetValue<string>() == eventName
            && message["channel"]!.GetValue<string>() == channel
            && message["data"]?[entity]?["id"]?.GetValue<long>() == id, $"{eventName} on {channel} for {entity} {id}");

    public async ValueTask DisposeAsync() => await _redis.DisposeAsync();
}
