using System.Net.Sockets;
using System.Text.Json;
using StreamJsonRpc;

namespace VSmenu.Pos.Ipc;

/// <summary>
/// <c>vsmenu-pos call [--data DIR] CHANNEL [ARG...]</c>: calls one channel of the terminal running on DIR (else
/// <c>Pos__DataPath</c>, else the default folder) with each ARG as a JSON value, and prints the answer as JSON.
/// A refusal prints its error body to stderr and exits 1; no terminal running exits 2.
/// </summary>
public static class IpcCommandLine
{
    public static async Task<int> CallAsync(string[] args)
    {
        var dataPath = Environment.GetEnvironmentVariable("Pos__DataPath") ?? new PosOptions().DataPath;
        if (args is ["--data", var given, .. var rest])
        {
            dataPath = given;
            args = rest;
        }

        if (args is not [var channel, .. var arguments])
        {
            await Console.Error.WriteLineAsync("usage: vsmenu-pos call [--data DIR] CHANNEL [JSON-ARG...]   e.g. vsmenu-pos call orders:getAll '{\"status\":\"pending\"}'");
            return 64;
        }

        var ipcFile = new PosOptions { DataPath = dataPath }.IpcFile;
        if (!File.Exists(ipcFile))
        {
            await Console.Error.WriteLineAsync($"No terminal is running on {dataPath} ({ipcFile} is missing).");
            return 2;
        }

        using var ipc = JsonDocument.Parse(await File.ReadAllTextAsync(ipcFile));
        var path = ipc.RootElement.GetProperty("path").GetString()!;
        JsonElement[] values;
        try
        {
            values = arguments.Select(argument => JsonElement.Parse(argument)).ToArray();
        }
        catch (JsonException malformed)
        {
            await Console.Error.WriteLineAsync($"An argument is not JSON: {malformed.Message}");
            return 64;
        }

        try
        {
            await using var stream = await ConnectAsync(path);
            using var rpc = new PosJsonRpcClient(IpcProtocol.Handler(stream));
            rpc.StartListening();
            var answer = await rpc.InvokeWithCancellationAsync<JsonElement>(channel, [.. values.Cast<object?>()]);
            Console.WriteLine(JsonSerializer.Serialize(answer, new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }
        catch (RemoteInvocationException refused)
        {
            await Console.Error.WriteLineAsync(refused.ErrorData is JsonElement body ? body.GetRawText() : refused.Message);
            return 1;
        }
        catch (Exception unreachable) when (unreachable is SocketException or IOException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"The terminal on {dataPath} does not answer at {path}: {unreachable.Message}");
            return 2;
        }
    }

    private static async Task<Stream> ConnectAsync(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            var pipe = new System.IO.Pipes.NamedPipeClientStream(".", path, System.IO.Pipes.PipeDirection.InOut, System.IO.Pipes.PipeOptions.Asynchronous | System.IO.Pipes.PipeOptions.CurrentUserOnly);
            await pipe.ConnectAsync(5_000);
            return pipe;
        }

        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new NetworkStream(socket, ownsSocket: true);
    }
}
