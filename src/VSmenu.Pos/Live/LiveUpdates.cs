using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using VSmenu.Pos.Auth;
using VSmenu.Pos.Sync;

namespace VSmenu.Pos.Live;

/// <summary>The realtime hub's address and the Pusher app's public key, from the AppHost's references.</summary>
public sealed class LiveUpdateOptions
{
    public Uri? HubAddress { get; set; }

    public string? Key { get; set; }
}

/// <summary>
/// A small Pusher-protocol client on <see cref="ClientWebSocket"/>: the handshake, private channels authorized through
/// <c>/api/v1/broadcasting/auth</c>, ping/pong both ways, and reconnection with growing waits. It listens to the signed-in
/// restaurant's <c>private-sync</c> and <c>private-orders</c> channels, and every event there (or a new connection, which may
/// have missed some) wakes the sync engine, whose pull then raises <c>orders:changed</c>.
/// </summary>
public sealed partial class LiveUpdates(
    PosApi api, Credentials credentials, SyncEngine sync, IOptions<LiveUpdateOptions> options, ILogger<LiveUpdates> logger) : BackgroundService
{
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan PongPatience = TimeSpan.FromSeconds(30);
    private CancellationTokenSource _session = new();

    /// <summary>Another user (perhaps of another restaurant) signed in or out: the next connection subscribes as them.</summary>
    public void Reconnect() => Interlocked.Exchange(ref _session, new CancellationTokenSource()).Cancel();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value is not { HubAddress: { } hub, Key: { Length: > 0 } key })
        {
            LogNoHub(logger);
            return;
        }

        var delay = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            using var session = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, _session.Token);
            try
            {
                if (await credentials.SignedInAsync(session.Token) is not { } user)
                {
                    await Task.Delay(Timeout.Infinite, session.Token);
                    continue;
                }

                await ListenAsync(hub, key, user, () => delay = TimeSpan.FromSeconds(1), session.Token);
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
                continue;
            }
            catch (Exception failure) when (failure is WebSocketException or PosError or JsonException || PosApi.IsUnreachable(failure))
            {
                LogDisconnected(logger, failure.Message, delay.TotalSeconds);
            }

            await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 250)), stoppingToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxReconnectDelay.Ticks));
        }
    }

    private async Task ListenAsync(Uri hub, string key, Credential user, Action connected, CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        var scheme = hub.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        await socket.ConnectAsync(new UriBuilder(hub) { Scheme = scheme, Path = $"/app/{key}", Query = "protocol=7&client=vsmenu-pos&version=1.0&flash=false" }.Uri, cancellationToken);
        var inbox = new Inbox(socket, cancellationToken);
        var established = await inbox.NextAsync(TimeSpan.FromSeconds(10))
            ?? throw new WebSocketException("The hub closed the connection before its handshake.");
        if (established.Event != "pusher:connection_established")
        {
            throw new WebSocketException($"The hub answered {established.Event} instead of its handshake: {established.Data}");
        }

        using var handshake = JsonDocument.Parse(established.Data ?? "{}");
        var socketId = handshake.RootElement.GetProperty("socket_id").GetString()!;
        var activityTimeout = TimeSpan.FromSeconds(handshake.RootElement.TryGetProperty("activity_timeout", out var seconds) ? seconds.GetInt32() : 120);
        foreach (var channel in new[] { $"private-sync.{user.TenantId}", $"private-orders.{user.TenantId}" })
        {
            var auth = await api.AuthorizeChannelAsync(user.Token, socketId, channel, cancellationToken);
            await SendAsync(socket, new { @event = "pusher:subscribe", data = new { channel, auth } }, cancellationToken);
        }

        LogConnected(logger, socketId);
        connected();
        sync.ListeningOn(socketId);
        try
        {
            await ReceiveAsync(socket, inbox, activityTimeout, cancellationToken);
        }
        finally
        {
            sync.ListeningOn(null);
        }
    }

    /// <summary>Answers the hub's pings, pings it when it is quiet, and wakes the sync engine on every event, until the connection fails.</summary>
    private async Task ReceiveAsync(ClientWebSocket socket, Inbox inbox, TimeSpan activityTimeout, CancellationToken cancellationToken)
    {
        var awaitingPong = false;
        while (true)
        {
            var frame = await inbox.NextAsync(awaitingPong ? PongPatience : activityTimeout);
            if (frame is null)
            {
                if (awaitingPong)
                {
                    throw new WebSocketException("The hub did not answer a ping.");
                }

                await SendAsync(socket, new { @event = "pusher:ping", data = new { } }, cancellationToken);
                awaitingPong = true;
                continue;
            }

            awaitingPong = false;
            switch (frame.Event)
            {
                case "pusher:ping":
                    await SendAsync(socket, new { @event = "pusher:pong", data = new { } }, cancellationToken);
                    break;
                case "pusher:error":
                    throw new WebSocketException($"The hub refused the connection: {frame.Data}");
                case "pusher_internal:subscription_succeeded":
                    // Whatever changed while this terminal was not subscribed is pulled now.
                    sync.Wake();
                    break;
                case "pusher:subscription_error":
                    throw new WebSocketException($"A channel refused this terminal: {frame.Data}");
                case { } name when !name.StartsWith("pusher", StringComparison.Ordinal):
                    sync.Wake();
                    break;
            }
        }
    }

    private sealed record Frame(string? Event, string? Channel, string? Data);

    /// <summary>
    /// The hub's messages as they come. Reading happens in one loop of its own because a cancelled receive aborts a
    /// <see cref="ClientWebSocket"/>: waits with a deadline (for a ping's answer) wait on the queue instead.
    /// </summary>
    private sealed class Inbox
    {
        private readonly Channel<Frame> _frames = Channel.CreateUnbounded<Frame>();
        private readonly CancellationToken _cancellationToken;

        public Inbox(ClientWebSocket socket, CancellationToken cancellationToken)
        {
            _cancellationToken = cancellationToken;
            _ = ReadAllAsync(socket, cancellationToken);
        }

        /// <summary>Reads until the connection ends; the queue then ends with the reason.</summary>
        private async Task ReadAllAsync(ClientWebSocket from, CancellationToken token)
        {
            try
            {
                var message = new ArrayBufferWriter<byte>();
                while (true)
                {
                    var result = await from.ReceiveAsync(message.GetMemory(4096), token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        throw new WebSocketException($"The hub closed the connection: {from.CloseStatus} {from.CloseStatusDescription}");
                    }

                    message.Advance(result.Count);
                    if (result.EndOfMessage)
                    {
                        _frames.Writer.TryWrite(Parse(message.WrittenMemory));
                        message.ResetWrittenCount();
                    }
                }
            }
            catch (Exception failure)
            {
                _frames.Writer.TryComplete(failure);
            }
        }

        /// <summary>The next message, or null when none came within <paramref name="patience"/>; a lost connection throws.</summary>
        public async Task<Frame?> NextAsync(TimeSpan patience)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_cancellationToken);
            timeout.CancelAfter(patience);
            try
            {
                return await _frames.Reader.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!_cancellationToken.IsCancellationRequested)
            {
                return null;
            }
            catch (ChannelClosedException closed) when (closed.InnerException is { } reason)
            {
                throw reason as WebSocketException ?? new WebSocketException(reason.Message, reason);
            }
        }

        private static Frame Parse(ReadOnlyMemory<byte> message)
        {
            using var frame = JsonDocument.Parse(message);
            var root = frame.RootElement;
            return new Frame(
                root.TryGetProperty("event", out var name) ? name.GetString() : null,
                root.TryGetProperty("channel", out var channel) ? channel.GetString() : null,
                root.TryGetProperty("data", out var data) ? data.ValueKind is JsonValueKind.String ? data.GetString() : data.GetRawText() : null);
        }
    }

    private static Task SendAsync(ClientWebSocket socket, object message, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(message)), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No realtime hub is configured: the terminal pulls every interval and when asked.")]
    private static partial void LogNoHub(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Listening to the restaurant's channels on the hub as socket {SocketId}.")]
    private static partial void LogConnected(ILogger logger, string socketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the hub ({Reason}); connecting again in {Seconds} s.")]
    private static partial void LogDisconnected(ILogger logger, string reason, double seconds);
}
