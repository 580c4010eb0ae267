using System.Collections.Concurrent;
using System.IO.Pipes;
using System.Net.Sockets;
using System.Text.Json;
using Microsoft.Extensions.Options;
using StreamJsonRpc;
using VSmenu.Pos.Store;

namespace VSmenu.Pos.Ipc;

/// <summary>
/// Serves the IPC contract to any number of UIs at once: a Unix domain socket in a folder only the user may enter (the
/// socket itself 0600), a named pipe limited to the current user on Windows. Its path is written to <c>ipc.json</c> once it
/// listens. Notifications go to every connection, each through its own queue (<see cref="UiConnection"/>).
/// </summary>
public sealed partial class IpcServer(PosChannels channels, PosEvents events, IpcMetrics metrics, IOptions<PosOptions> options, ILogger<IpcServer> logger)
    : BackgroundService
{
    private readonly ConcurrentDictionary<JsonRpc, UiConnection> _connections = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        events.SyncStatusChanged += status => NotifyAll("sync:statusChanged", status);
        events.OrdersChanged += orders => NotifyAll("orders:changed", orders);
        var path = options.Value.SocketPath;
        if (OperatingSystem.IsWindows())
        {
            await ServePipesAsync(path, stoppingToken);
        }
        else
        {
            await ServeSocketAsync(path, stoppingToken);
        }
    }

    private async Task ServeSocketAsync(string path, CancellationToken stoppingToken)
    {
        PrivateFolder.Create(Path.GetDirectoryName(path)!);
        File.Delete(path);
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        PrivateFolder.RestrictFile(path);
        listener.Listen(64);
        await AnnounceAsync(path, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var connection = await listener.AcceptAsync(stoppingToken);
                Serve(new NetworkStream(connection, ownsSocket: true));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    private async Task ServePipesAsync(string name, CancellationToken stoppingToken)
    {
        var announced = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var pipe = new NamedPipeServerStream(
                name, PipeDirection.InOut, NamedPipeServerStream.MaxAllowedServerInstances, PipeTransmissionMode.Byte,
                PipeOptions.Asynchronous | PipeOptions.CurrentUserOnly);
            if (!announced)
            {
                await AnnounceAsync(name, stoppingToken);
                announced = true;
            }

            await pipe.WaitForConnectionAsync(stoppingToken);
            Serve(pipe);
        }
    }

    private void Serve(Stream stream)
    {
        var rpc = new PosJsonRpc(IpcProtocol.Handler(stream), metrics);
        rpc.AddLocalRpcTarget(channels, new JsonRpcTargetOptions { DisposeOnDisconnect = false });
        _connections[rpc] = new UiConnection(rpc);
        rpc.Disconnected += (_, _) =>
        {
            _connections.TryRemove(rpc, out _);
            rpc.Dispose();
        };
        rpc.StartListening();
        LogConnected(logger, _connections.Count);
    }

    /// <summary>Tells UIs where to connect, once the terminal listens: <c>{"path": "..."}</c>.</summary>
    private async Task AnnounceAsync(string path, CancellationToken cancellationToken)
    {
        await PrivateFolder.WriteFileAsync(options.Value.IpcFile, JsonSerializer.Serialize(new { path }), cancellationToken);
        LogListening(logger, path);
    }

    private void NotifyAll(string method, object argument)
    {
        foreach (var connection in _connections.Values)
        {
            if (!connection.TryNotify(method, argument))
            {
                LogStoppedReading(logger, UiConnection.UnsentLimit);
                connection.Rpc.Dispose();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "IPC listening on {Path}.")]
    private static partial void LogListening(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A UI left {Count} notifications unread: its connection is closed.")]
    private static partial void LogStoppedReading(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A UI connected; {Count} connected.")]
    private static partial void LogConnected(ILogger logger, int count);
}
