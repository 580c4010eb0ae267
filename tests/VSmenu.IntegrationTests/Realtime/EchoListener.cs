using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>
/// A restaurant's screen on stock laravel-echo (<c>tests/compat/echo-listen.mjs</c>), running beside a test: subscribed to
/// one private channel as a member, it hands the test each event it receives, in order.
/// </summary>
internal sealed class EchoListener : IAsyncDisposable
{
    private static readonly TimeSpan SubscribePatience = TimeSpan.FromSeconds(45);

    private readonly Process _node;
    private readonly Channel<JsonObject> _lines = Channel.CreateUnbounded<JsonObject>();
    private readonly Task<string> _errors;
    private readonly string _eventName;

    private EchoListener(Process node, string eventName)
    {
        _node = node;
        _eventName = eventName;
        _errors = node.StandardError.ReadToEndAsync();
        _ = Task.Run(ReadLinesAsync);
    }

    /// <summary>Starts Echo on <c>private-{channel}</c> as <paramref name="member"/>, listening for <paramref name="eventName"/>; returns once subscribed.</summary>
    public static async Task<EchoListener> SubscribeAsync(TopologyFixture topology, ApiSession member, string channel, string eventName)
    {
        await NodeScript.EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", ["echo-listen.mjs"])
        {
            WorkingDirectory = NodeScript.SuiteDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in await CompatibilitySuiteTests.EnvironmentAsync(topology))
        {
            start.Environment[name] = value;
        }

        start.Environment["ECHO_TOKEN"] = member.Token;
        start.Environment["ECHO_CHANNEL"] = channel;
        start.Environment["ECHO_EVENT"] = eventName;
        var listener = new EchoListener(Process.Start(start) ?? throw new InvalidOperationException("node did not start."), eventName);
        try
        {
            await listener.NextLineAsync(line => line.ContainsKey("subscribed"), $"Echo subscribed to private-{channel}", SubscribePatience);
            return listener;
        }
        catch
        {
            await listener.DisposeAsync();
            throw;
        }
    }

    /// <summary>The data of the next event, within <paramref name="patience"/>.</summary>
    public async Task<JsonObject> NextAsync(TimeSpan patience) =>
        (await NextLineAsync(line => line.ContainsKey("event"), _eventName, patience))["data"]!.AsObject();

    /// <summary>
    /// Fails if an event is still on its way: a ping sent now is answered after every frame the hub sent before it, so the
    /// pong comes last unless an event was sent before it.
    /// </summary>
    public async Task AssertNothingMoreAsync()
    {
        await _node.StandardInput.WriteLineAsync("ping");
        await _node.StandardInput.FlushAsync(TestContext.Current.CancellationToken);
        var next = await NextLineAsync(_ => true, "the pong", SubscribePatience);
        Assert.True(next.ContainsKey("pong"), $"Echo received more than expected: {next.ToJsonString()}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_node.HasExited)
        {
            _node.Kill(entireProcessTree: true);
        }

        await _node.WaitForExitAsync();
        _node.Dispose();
    }

    private async Task<JsonObject> NextLineAsync(Func<JsonObject, bool> wanted, string what, TimeSpan patience)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(patience);
        try
        {
            while (true)
            {
                var line = await _lines.Reader.ReadAsync(deadline.Token);
                if (wanted(line))
                {
                    return line;
                }
            }
        }
        catch (Exception failure) when (failure is OperationCanceledException or ChannelClosedException && !TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            var errors = _node.HasExited ? await _errors : "(still running)";
            throw new TimeoutException($"No {what} from Echo within {patience.TotalSeconds:0} s. Its stderr: {errors}", failure);
        }
    }

    private async Task ReadLinesAsync()
    {
        while (await _node.StandardOutput.ReadLineAsync() is { } line)
        {
            // The script's lines are JSON; anything else a library prints is not the test's concern.
            if (line.StartsWith('{') && JsonNode.Parse(line) is JsonObject parsed)
            {
                _lines.Writer.TryWrite(parsed);
            }
        }

        _lines.Writer.TryComplete();
    }
}
