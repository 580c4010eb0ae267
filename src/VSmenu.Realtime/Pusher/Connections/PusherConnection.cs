using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using System.Threading.RateLimiting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// One client's WebSocket: an outbound queue drained by a single writer (frames from any thread, in order), the
/// channels it joined, when it was last heard from, and its client-event allowance.
/// </summary>
public sealed class PusherConnection : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<byte[]> _outbound;
    private readonly FixedWindowRateLimiter _clientEvents;
    private long _lastHeardTicks;
    private long _pingedTicks;
    private int? _closeCode;
    private string? _closeReason;

    /// <summary>How long a client has to answer the hub's close frame before the connection is dropped.</summary>
    private static readonly TimeSpan CloseHandshakeTimeout = TimeSpan.FromSeconds(3);

    private readonly TransportActivity? _transport;

    /// <summary>
    /// A connection of socket <paramref name="socketId"/>; <paramref name="transport"/> is where Kestrel records what the
    /// client sent at the transport (RFC ping frames included), when available.
    /// </summary>
    public PusherConnection(
        string socketId, WebSocket socket, HubOptions options, TimeProvider clock, TransportActivity? transport, CancellationToken requestAborted)
    {
        SocketId = socketId;
        _transport = transport;
        Lifetime = CancellationTokenSource.CreateLinkedTokenSource(requestAborted);
        _socket = socket;
        Clock = clock;
        _outbound = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(options.MaxQueuedFrames) { SingleReader = true });
        _clientEvents = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
        {
            PermitLimit = options.ClientEventsPerSecond,
            Window = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
        });
        Heard();
    }

    public string SocketId { get; }

    /// <summary>Ends when the client goes away, or when it has not answered the hub's close in time.</summary>
    public CancellationTokenSource Lifetime { get; }

    private TimeProvider Clock { get; }

    /// <summary>Channels joined, with the member this connection is on presence channels (null elsewhere).</summary>
    public ConcurrentDictionary<string, PresenceMember?> Channels { get; } = new(StringComparer.Ordinal);

    /// <summary>The user this connection signed in as (<c>pusher:signin</c>), if it did.</summary>
    public string? UserId { get; private set; }

    public void SignIn(string userId) => UserId = userId;

    /// <summary>The last time anything came from the client: a Pusher message, or any frame at all (RFC pings too).</summary>
    private long LastHeardTicks => Math.Max(Interlocked.Read(ref _lastHeardTicks), _transport?.LastReceivedTicks ?? 0);

    public TimeSpan IdleFor => Clock.GetElapsedTime(LastHeardTicks);

    /// <summary>How long ago the hub pinged this idle connection, or null when it has not or the client spoke since.</summary>
    public TimeSpan? PingedAgo => Interlocked.Read(ref _pingedTicks) is var pinged and not 0 && LastHeardTicks < pinged ? Clock.GetElapsedTime(pinged) : null;

    public void Heard()
    {
        Interlocked.Exchange(ref _lastHeardTicks, Clock.GetTimestamp());
        Interlocked.Exchange(ref _pingedTicks, 0);
    }

    public void Pinged() => Interlocked.Exchange(ref _pingedTicks, Clock.GetTimestamp());

    public bool TryTakeClientEvent()
    {
        using var lease = _clientEvents.AttemptAcquire();
        return lease.IsAcquired;
    }

    public void Send(string frame) => Send(Encoding.UTF8.GetBytes(frame));

    /// <summary>
    /// Queues an encoded frame (a broadcast encodes once for all its sockets); a client too slow to keep up loses its
    /// connection rather than the hub's memory.
    /// </summary>
    public void Send(byte[] frame)
    {
        if (!_outbound.Writer.TryWrite(frame))
        {
            _outbound.Writer.TryComplete();
            _socket.Abort();
        }
    }

    /// <summary>Sends queued frames until the queue is completed, then closes the socket with the code <see cref="Close"/> set, if any.</summary>
    public async Task WriteAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var frame in _outbound.Reader.ReadAllAsync(cancellationToken))
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            }

            if (_closeCode is { } code && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync((WebSocketCloseStatus)code, _closeReason, cancellationToken);
                // A client that never answers (gone, or half-open) must not hold the connection, or a shutdown, open.
                Lifetime.CancelAfter(CloseHandshakeTimeout);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client went away; the read side ends the connection.
        }
    }

    /// <summary>Tells the client why (<c>pusher:error</c>), then closes with the code once the queue before it is sent.</summary>
    public void Close(int code, string reason)
    {
        _closeCode = code;
        _closeReason = reason;
        Send(PusherFrames.Error(code, reason));
        _outbound.Writer.TryComplete();
    }

    public ValueTask DisposeAsync()
    {
        _outbound.Writer.TryComplete();
        _clientEvents.Dispose();
        Lifetime.Dispose();
        return ValueTask.CompletedTask;
    }
}
