using System.IO.Pipelines;
using System.Net.WebSockets;
using VSmenu.Realtime.Pusher;

namespace VSmenu.UnitTests.Realtime;

public sealed class TransportActivityTests
{
    [Fact]
    public async Task Bytes_read_from_the_transport_count_as_activity_and_the_end_of_the_stream_does_not()
    {
        var clock = new SteppedClock { Seconds = 100 };
        var activity = new TransportActivity(clock);
        var pipe = new Pipe();
        var reader = new ObservedPipeReader(pipe.Reader, activity);

        clock.Seconds = 200;
        await pipe.Writer.WriteAsync(new byte[] { 0x89, 0x00 }, TestContext.Current.CancellationToken);
        var read = await reader.ReadAsync(TestContext.Current.CancellationToken);
        reader.AdvanceTo(read.Buffer.End);
        var afterBytes = activity.LastReceivedTicks;
        clock.Seconds = 300;
        await pipe.Writer.CompleteAsync();
        var end = await reader.ReadAsync(TestContext.Current.CancellationToken);

        Assert.Equal(200, afterBytes);
        Assert.True(end.IsCompleted);
        Assert.Equal(200, activity.LastReceivedTicks);
    }

    [Fact]
    public void A_connection_that_only_sends_control_frames_is_neither_idle_nor_awaiting_a_pong()
    {
        var clock = new SteppedClock { Seconds = 0 };
        var activity = new TransportActivity(clock);
        using var socket = WebSocket.CreateFromStream(new MemoryStream(), new WebSocketCreationOptions { IsServer = true });
        var connection = new PusherConnection("1.2", socket, new HubOptions(), clock, activity, CancellationToken.None);

        clock.Seconds = 40;
        var idleWithoutFrames = connection.IdleFor;
        connection.Pinged();
        clock.Seconds = 45;
        var awaitingPong = connection.PingedAgo;
        activity.Received();
        clock.Seconds = 50;

        Assert.Equal(TimeSpan.FromSeconds(40), idleWithoutFrames);
        Assert.Equal(TimeSpan.FromSeconds(5), awaitingPong);
        Assert.Equal(TimeSpan.FromSeconds(5), connection.IdleFor);
        Assert.Null(connection.PingedAgo);
    }
}
