using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Nerdbank.Streams;
using StreamJsonRpc;
using VSmenu.Pos;
using VSmenu.Pos.Ipc;

namespace VSmenu.UnitTests.Pos;

/// <summary>The terminal times each UI call it answers, under the call's channel, so its share of a slow call shows on the dashboard.</summary>
public sealed class IpcMetricsTests
{
    [Fact]
    public async Task Each_call_is_recorded_under_its_channel_for_as_long_as_it_ran_with_the_error_it_answered()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var metrics = new IpcMetrics(services.GetRequiredService<IMeterFactory>());
        var recorded = new ConcurrentQueue<(double Seconds, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, meterListener) =>
        {
            if (instrument == metrics.CallDuration)
            {
                meterListener.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, tags, _) => recorded.Enqueue((seconds, tags.ToArray().ToDictionary(tag => tag.Key, tag => tag.Value))));
        listener.Start();
        var (terminalEnd, uiEnd) = FullDuplexStream.CreatePair();
        using var terminal = new PosJsonRpc(IpcProtocol.Handler(terminalEnd), metrics);
        terminal.AddLocalRpcTarget(new Channels());
        terminal.StartListening();
        using var ui = new PosJsonRpcClient(IpcProtocol.Handler(uiEnd));
        ui.StartListening();

        await ui.InvokeWithCancellationAsync<string>("orders:slow", [], TestContext.Current.CancellationToken);
        await Assert.ThrowsAsync<RemoteInvocationException>(() => ui.InvokeWithCancellationAsync<string>("orders:getById", [], TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<RemoteInvocationException>(() => ui.InvokeWithCancellationAsync<string>("auth:getToken", [], TestContext.Current.CancellationToken));

        Assert.Collection(
            recorded,
            slow =>
            {
                Assert.True(slow.Seconds >= Channels.SlowCall.TotalSeconds, $"{slow.Seconds} s recorded for a call that ran {Channels.SlowCall.TotalSeconds} s.");
                Assert.Equal("jsonrpc", slow.Tags["rpc.system"]);
                Assert.Equal("orders:slow", slow.Tags["rpc.method"]);
                Assert.DoesNotContain("error.type", slow.Tags.Keys);
            },
            thrown =>
            {
                Assert.Equal("orders:getById", thrown.Tags["rpc.method"]);
                Assert.Equal("404", thrown.Tags["error.type"]);
            },
            failed =>
            {
                Assert.Equal("auth:getToken", failed.Tags["rpc.method"]);
                Assert.Equal("401", failed.Tags["error.type"]);
            });
    }

    private sealed class Channels
    {
        public static readonly TimeSpan SlowCall = TimeSpan.FromMilliseconds(50);

        [JsonRpcMethod("orders:slow")]
        public async Task<string> SlowAsync()
        {
            await Task.Delay(SlowCall);
            return "done";
        }

        /// <summary>Throws before it has a task to return.</summary>
        [JsonRpcMethod("orders:getById")]
        public Task<string> MissingAsync() => throw PosError.NotFound("Order 7");

        /// <summary>Fails in its task.</summary>
        [JsonRpcMethod("auth:getToken")]
        public async Task<string> SignedOutAsync()
        {
            await Task.Yield();
            throw PosError.SignedOut();
        }
    }
}
