using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text.Json;
using System.Threading.Channels;
using StreamJsonRpc;
using VSmenu.IntegrationTests.Api;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests.Pos;

/// <summary>
/// A POS terminal as a real process (the built <c>vsmenu-pos</c>) with its own data folder, wired to the booted api and hub,
/// and a JSON-RPC client on its IPC socket that records the notifications it sends.
/// </summary>
public sealed class PosTerminal : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly Process _process;
    private readonly JsonRpc _rpc;
    private readonly Notifications _notifications;

    private PosTerminal(string dataPath, Process process, JsonRpc rpc, Notifications notifications, ConcurrentQueue<string> output)
    {
        DataPath = dataPath;
        _process = process;
        _rpc = rpc;
        _notifications = notifications;
        Output = output;
    }

    public string DataPath { get; }

    /// <summary>What the terminal has written to its console so far, a line each.</summary>
    public IReadOnlyCollection<string> Output { get; }

    /// <summary>An address where no api answers: a terminal started with it is offline from the start.</summary>
    public static readonly Uri Unreachable = new("http://127.0.0.1:9");

    public static string NewDataPath() => PosTerminalProcess.NewDataPath();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>Starts a terminal on <paramref name="dataPath"/> (a new folder unless given) against the api (or <paramref name="api"/>).</summary>
    public static async Task<PosTerminal> StartAsync(
        TopologyFixture topology, string? dataPath = null, Uri? api = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        dataPath ??= NewDataPath();
        var output = new ConcurrentQueue<string>();
        var process = await PosTerminalProcess.StartAsync(
            topology.App,
            dataPath,
            api,
            settings,
            line =>
            {
                output.Enqueue(line);
                TestContext.Current.TestOutputHelper?.WriteLine($"[pos] {line}");
            },
            Cancellation);
        try
        {
            using var ipc = JsonDocument.Parse(await File.ReadAllTextAsync(PosTerminalProcess.IpcFile(dataPath), Cancellation));
            var (rpc, notifications) = await ConnectAsync(ipc.RootElement.GetProperty("path").GetString()!);
            return new PosTerminal(dataPath, process, rpc, notifications, output);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    /// <summary>Starts a terminal and signs <paramref name="user"/> in on it.</summary>
    public static async Task<PosTerminal> SignedInAsync(
        TopologyFixture topology, ApiSession user, string? dataPath = null, Uri? api = null, IReadOnlyDictionary<string, string>? settings = null)
    {
        var terminal = await StartAsync(topology, dataPath, api, settings);
        try
        {
            // Every terminal of the suite signs in from 127.0.0.1, and together they pass the api's 20 requests a minute
            // per address without a token: a sign-in refused for that is tried again, as a cashier told to wait would.
            await Eventually.ReturnsAsync(() => terminal.TrySignInAsync(user), signedIn => signedIn, $"{user.Email} signed in", TimeSpan.FromSeconds(90));
            return terminal;
        }
        catch
        {
            await terminal.DisposeAsync();
            throw;
        }
    }

    private async Task<bool> TrySignInAsync(ApiSession user)
    {
        try
        {
            await CallAsync("auth:login", new { email = user.Email, password = ApiSession.Password });
            return true;
        }
        catch (RemoteInvocationException refused) when (refused.ErrorCode == 429)
        {
            return false;
        }
    }

    public async Task<JsonElement> CallAsync(string channel, params object?[] arguments) =>
        await _rpc.InvokeWithCancellationAsync<JsonElement>(channel, arguments, Cancellation);

    /// <summary>The error a call ends with: its code (the HTTP status) and its data (the API's error body).</summary>
    public async Task<RemoteInvocationException> RefusalAsync(string channel, params object?[] arguments) =>
        await Assert.ThrowsAsync<RemoteInvocationException>(() => CallAsync(channel, arguments));

    /// <summary>Waits until <c>sync:status</c> satisfies <paramref name="done"/>.</summary>
    public Task<JsonElement> WaitForStatusAsync(Func<JsonElement, bool> done, string description, TimeSpan? patience = null) =>
        Eventually.ReturnsAsync(() => CallAsync("sync:status"), done, description, patience ?? Patience);

    /// <summary>Waits until the local order list satisfies <paramref name="done"/>.</summary>
    public Task<JsonElement> WaitForOrdersAsync(Func<JsonElement, bool> done, string description, TimeSpan? patience = null, object? filters = null) =>
        Eventually.ReturnsAsync(() => CallAsync("orders:getAll", filters), done, description, patience ?? Patience);

    /// <summary>The first <c>orders:changed</c> received after this call that <paramref name="match"/> accepts.</summary>
    public Task<JsonElement> NextOrdersChangedAsync(Func<JsonElement, bool> match, TimeSpan patience) => _notifications.NextAsync(_notifications.OrdersChanged, match, patience);

    public Task<JsonElement> NextStatusChangedAsync(Func<JsonElement, bool> match, TimeSpan patience) => _notifications.NextAsync(_notifications.StatusChanged, match, patience);

    /// <summary>kill -9: no shutdown, no flush; SQLite's WAL is all that survives.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync(Cancellation);
        _rpc.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        _rpc.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    private static async Task<(JsonRpc Rpc, Notifications Notifications)> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), Cancellation);
        var stream = new NetworkStream(socket, ownsSocket: true);
        var rpc = new UiConnection(new HeaderDelimitedMessageHandler(stream, stream, new SystemTextJsonFormatter()));
        var notifications = new Notifications();
        rpc.AddLocalRpcTarget(notifications);
        rpc.StartListening();
        return (rpc, notifications);
    }

    /// <summary>A UI's connection: an error's data is read as the JSON it is (the API's error body).</summary>
    private sealed class UiConnection(IJsonRpcMessageHandler handler) : JsonRpc(handler)
    {
        protected override Type? GetErrorDetailsDataType(StreamJsonRpc.Protocol.JsonRpcError error) => typeof(JsonElement);
    }

    /// <summary>The terminal's two notifications, as a UI receives them.</summary>
    public sealed class Notifications
    {
        public Channel<JsonElement> OrdersChanged { get; } = Channel.CreateUnbounded<JsonElement>();

        public Channel<JsonElement> StatusChanged { get; } = Channel.CreateUnbounded<JsonElement>();

        [JsonRpcMethod("orders:changed", UseSingleObjectParameterDeserialization = true)]
        public void OnOrdersChanged(JsonElement changed) => OrdersChanged.Writer.TryWrite(changed);

        [JsonRpcMethod("sync:statusChanged", UseSingleObjectParameterDeserialization = true)]
        public void OnStatusChanged(JsonElement status) => StatusChanged.Writer.TryWrite(status);

        public async Task<JsonElement> NextAsync(Channel<JsonElement> from, Func<JsonElement, bool> match, TimeSpan patience)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Cancellation);
            deadline.CancelAfter(patience);
            while (true)
            {
                var next = await from.Reader.ReadAsync(deadline.Token);
                if (match(next))
                {
                    return next;
                }
            }
        }
    }
}
