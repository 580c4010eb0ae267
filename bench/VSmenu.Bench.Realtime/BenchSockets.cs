using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VSmenu.Bench.Realtime;

/// <summary>What a client received: the frame's bytes (valid only during the call) and when the last byte arrived.</summary>
internal delegate void FrameHandler(int client, ReadOnlySpan<byte> frame, long receivedAt);

/// <summary>
/// Many WebSocket clients in this process, each reading every frame and handing its raw bytes to <paramref name="onFrame"/>
/// (parsing is left to the handler, so measuring costs the clients as little CPU as possible); Pusher pings are
/// answered, so idle sockets stay open.
/// </summary>
internal sealed class BenchSockets(FrameHandler onFrame) : IAsyncDisposable
{
    private readonly List<ClientWebSocket> _sockets = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Opens <paramref name="count"/> connections, <paramref name="parallel"/> at a time, and sends each its first frames.</summary>
    public async Task OpenAsync(Uri address, int count, int parallel, Func<int, string, IEnumerable<string>> firstFrames)
    {
        var opened = new ClientWebSocket[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallel }, async (index, cancellationToken) =>
        {
            var socket = new ClientWebSocket();
            socket.Options.KeepAliveInterval = TimeSpan.Zero;
            await socket.ConnectAsync(address, cancellationToken);
            opened[index] = socket;
        });
        for (var index = 0; index < count; index++)
        {
            var socket = opened[index];
            _sockets.Add(socket);
            var client = index;
            _readers.Add(Task.Run(() => ReadAsync(client, socket, firstFrames)));
        }
    }

    private async Task ReadAsync(int client, ClientWebSocket socket, Func<int, string, IEnumerable<string>> firstFrames)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(buffer.AsMemory(count), _stop.Token);
                    count += received.Count;
                }
                while (!received.EndOfMessage);

                var at = System.Diagnostics.Stopwatch.GetTimestamp();
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var frame = buffer.AsMemory(0, count);
                if (FrameEvent.Is(frame.Span, "pusher:connection_established"u8))
                {
                    var established = JsonNode.Parse(frame.Span)!;
                    var socketId = JsonNode.Parse(established["data"]!.GetValue<string>())!["socket_id"]!.GetValue<string>();
                    foreach (var first in firstFrames(client, socketId))
                    {
                        await socket.SendAsync(Encoding.UTF8.GetBytes(first), WebSocketMessageType.Text, true, _stop.Token);
                    }
                }
                else if (FrameEvent.Is(frame.Span, "pusher:ping"u8))
                {
                    await socket.SendAsync("""{"event":"pusher:pong","data":{}}"""u8.ToArray(), WebSocketMessageType.Text, true, _stop.Token);
                }

                onFrame(client, frame.Span, at);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Abort();
            socket.Dispose();
        }

        await Task.WhenAll(_readers);
        _stop.Dispose();
    }
}
