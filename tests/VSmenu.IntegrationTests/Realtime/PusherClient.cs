using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>A raw Pusher-protocol WebSocket client on the realtime hub, for asserting the exact frames it sends.</summary>
public sealed class PusherClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Channel<JsonObject> _frames = Channel.CreateUnbounded<JsonObject>();
    private Task? _reading;

    private PusherClient()
    {
    }

    public string SocketId { get; private set; } = "";

    public JsonObject Established { get; private set; } = [];

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public string? CloseDescription => _socket.CloseStatusDescription;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Connects with the app key (or <paramref name="key"/>) and, unless told otherwise, waits for the handshake.</summary>
    /// <remarks>
    /// Through the orchestrator's proxy, which spreads connections over the replicas, or to <paramref name="replica"/>;
    /// from a device of its own (<c>X-Forwarded-For</c>, which the harness's topology trusts) or from <paramref name="clientAddress"/>;
    /// with <paramref name="traceParent"/> as the <c>traceparent</c> header when given, as a client that propagates its trace sends it.
    /// </remarks>
    public static async Task<PusherClient> ConnectAsync(
        TopologyFixture topology, string? key = null, bool expectHandshake = true, Uri? replica = null, string? clientAddress = null, string? traceParent = null)
    {
        var client = new PusherClient();
        if (traceParent is not null)
        {
            client._socket.Options.SetRequestHeader("traceparent", traceParent);
        }

        client._socket.Options.SetRequestHeader("X-Forwarded-For", clientAddress ?? Api.ApiSession.UniqueClientAddress());
        using var http = topology.CreateHttpClient("realtime");
        var uri = new UriBuilder(replica ?? http.BaseAddress!) { Scheme = "ws", Path = $"/app/{key ?? await AppSettingAsync(topology, "pusher-app-key")}", Query = "protocol=7&client=js&version=8.6.0&flash=false" }.Uri;
        await client._socket.ConnectAsync(uri, Cancellation);
        client._reading = client.ReadAsync();
        if (expectHandshake)
        {
            client.Established = await client.NextAsync("pusher:connection_established");
            client.SocketId = Data(client.Established)["socket_id"]!.GetValue<string>();
        }

        return client;
    }

    /// <summary>The value of one of the AppHost's Pusher parameters (key, secret, app id).</summary>
    public static Task<string> AppSettingAsync(TopologyFixture topology, string parameter) => topology.ParameterValueAsync(parameter);

    /// <summary><c>data</c> of a frame, parsed when it came as a JSON string, as pusher-js does.</summary>
    public static JsonNode Data(JsonObject frame) =>
        frame["data"] is JsonValue value && value.TryGetValue<string>(out var text) ? JsonNode.Parse(text)! : frame["data"]!;

    public async Task SendAsync(object frame) => await SendTextAsync(System.Text.Json.JsonSerializer.Serialize(frame));

    public async Task SendTextAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, Cancellation);

    /// <summary>Sends one text message as several WebSocket frames (a first frame and continuations).</summary>
    public async Task SendFragmentsAsync(params string[] fragments)
    {
        for (var index = 0; index < fragments.Length; index++)
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(fragments[index]), WebSocketMessageType.Text, endOfMessage: index == fragments.Length - 1, Cancellation);
        }
    }

    public async Task SendBinaryAsync(string text) =>
        await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Binary, endOfMessage: true, Cancellation);

    public async Task SubscribeAsync(string channel, string? auth = null, string? channelData = null) =>
        await SendAsync(new { @event = "pusher:subscribe", data = new { channel, auth = auth ?? "", channel_data = channelData } });

    /// <summary>The next frame named <paramref name="eventName"/> (others before it are skipped), within a few seconds.</summary>
    public Task<JsonObject> NextAsync(string eventName, string? channel = null, TimeSpan? patience = null) =>
        NextAsync(
            frame => frame["event"]?.GetValue<string>() == eventName && (channel is null || frame["channel"]?.GetValue<string>() == channel),
            $"{eventName}{(channel is null ? "" : $" on {channel}")}",
            patience);

    /// <summary>The next frame whose event name <paramref name="eventMatch"/> accepts.</summary>
    public Task<JsonObject> NextAsync(Func<string?, bool> eventMatch) =>
        NextAsync(frame => eventMatch(frame["event"]?.GetValue<string>()), "matching frame", patience: null);

    private async Task<JsonObject> NextAsync(Func<JsonObject, bool> match, string description, TimeSpan? patience)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(patience ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(deadline.Token);
                if (match(frame))
                {
                    return frame;
                }
            }
        }
        catch (OperationCanceledException) when (!Cancellation.IsCancellationRequested)
        {
            throw new TimeoutException($"No {description} arrived.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"The hub closed the connection ({CloseStatus} {CloseDescription}) before {description} arrived.");
        }
    }

    /// <summary>
    /// Asserts that no frame named <paramref name="eventName"/> arrives before a marker: a ping whose pong, sent after
    /// everything queued before it, proves that anything sent earlier would have arrived.
    /// </summary>
    public Task AssertNothingAsync(string eventName) =>
        AssertNothingAsync(frame => frame["event"]?.GetValue<string>() == eventName, eventName);

    /// <summary>Asserts that no frame <paramref name="match"/> accepts arrives before the marker (see the overload by name).</summary>
    public async Task AssertNothingAsync(Func<JsonObject, bool> match, string description)
    {
        await SendAsync(new { @event = "pusher:ping", data = new { } });
        while (true)
        {
            var frame = await _frames.Reader.ReadAsync(Cancellation);
            Assert.False(match(frame), $"Unexpected {description}: {frame.ToJsonString()}");
            if (frame["event"]?.GetValue<string>() == "pusher:pong")
            {
                return;
            }
        }
    }

    /// <summary>Waits until the hub has closed the connection.</summary>
    public async Task WaitForCloseAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        await _reading!.WaitAsync(deadline.Token);
    }

    private async Task ReadAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_socket.State == WebSocketState.Open)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);

                if (received.MessageType == WebSocketMessageType.Close)
                {
                    // Completes the closing handshake, as browsers and the ws library do.
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                    break;
                }

                _frames.Writer.TryWrite((JsonObject)JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, count))!);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, closing.Token);
                await _reading!.WaitAsync(closing.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        _socket.Dispose();
    }
}
