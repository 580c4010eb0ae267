using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace VSmenu.Bench.Realtime;

/// <summary>
/// Many WebSocket clients in this process, each reading every frame and handing it to <paramref name="onFrame"/>;
/// Pusher pings are answered, so idle sockets stay open.
/// </summary>
internal sealed class BenchSockets(Action<int, JsonObject?, long> onFrame) : IAsyncDisposable
{
    private readonly List<ClientWebSocket> _sockets = [];
    private readonly List<Task> _readers = [];
    private readonly CancellationTokenSource _stop = new();

    public int Count => _sockets.Count;

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

                var frame = JsonNode.Parse(Encoding.UTF8.GetString(buffer, 0, count)) as JsonObject;
                var eventName = frame?["event"]?.GetValue<string>();
                if (eventName == "pusher:connection_established")
                {
                    var socketId = JsonNode.Parse(frame!["data"]!.GetValue<string>())!["socket_id"]!.GetValue<string>();
                    foreach (var first in firstFrames(client, socketId))
                    {
                        await socket.SendAsync(Encoding.UTF8.GetBytes(first), WebSocketMessageType.Text, true, _stop.Token);
                    }
                }
                else if (eventName == "pusher:ping")
                {
                    await socket.SendAsync("""{"event":"pusher:pong","data":{}}"""u8.ToArray(), WebSocketMessageType.Text, true, _stop.Token);
                }

                onFrame(client, frame, at);
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
