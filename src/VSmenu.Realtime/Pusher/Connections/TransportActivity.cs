using System.IO.Pipelines;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// When a connection last received any bytes — Pusher messages and RFC 6455 control frames alike. Kestrel answers a
/// client's ping frames itself and <see cref="System.Net.WebSockets.WebSocket"/> never shows them, so the hub learns of
/// them here, at the transport: a client that keeps its socket alive with RFC pings is not idle.
/// </summary>
public sealed class TransportActivity(TimeProvider clock)
{
    private long _lastReceivedTicks = clock.GetTimestamp();

    public long LastReceivedTicks => Interlocked.Read(ref _lastReceivedTicks);

    public void Received() => Interlocked.Exchange(ref _lastReceivedTicks, clock.GetTimestamp());

    /// <summary>Records receipt on every connection of the endpoint, as a connection feature the hub reads.</summary>
    public static void Observe(ListenOptions listen, TimeProvider clock) => listen.Use(next => async connection =>
    {
        var activity = new TransportActivity(clock);
        connection.Features.Set(activity);
        var transport = connection.Transport;
        connection.Transport = new ObservedTransport(transport, new ObservedPipeReader(transport.Input, activity));
        try
        {
            await next(connection);
        }
        finally
        {
            connection.Transport = transport;
        }
    });

    private sealed record ObservedTransport(IDuplexPipe Inner, PipeReader Input) : IDuplexPipe
    {
        public PipeWriter Output => Inner.Output;
    }
}

/// <summary>A pipe reader that tells <see cref="TransportActivity"/> whenever a read brings bytes.</summary>
public sealed class ObservedPipeReader(PipeReader inner, TransportActivity activity) : PipeReader
{
    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        var reading = inner.ReadAsync(cancellationToken);
        if (reading.IsCompletedSuccessfully)
        {
            return ValueTask.FromResult(Observe(reading.Result));
        }

        return ObserveAsync(reading);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Observe(result);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private async ValueTask<ReadResult> ObserveAsync(ValueTask<ReadResult> reading) => Observe(await reading);

    private ReadResult Observe(ReadResult result)
    {
        if (!result.Buffer.IsEmpty)
        {
            activity.Received();
        }

        return result;
    }
}
