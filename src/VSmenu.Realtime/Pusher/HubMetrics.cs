using System.Diagnostics.Metrics;

namespace VSmenu.Realtime.Pusher;

/// <summary>The hub's meters on the dashboard: connections, subscriptions, messages in, deliveries, publish → deliver latency.</summary>
public sealed class HubMetrics
{
    public const string MeterName = "VSmenu.Realtime";

    public HubMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        Connections = meter.CreateUpDownCounter<long>("vsmenu.realtime.connections", "{connection}", "Open WebSocket connections.");
        Subscriptions = meter.CreateUpDownCounter<long>("vsmenu.realtime.subscriptions", "{subscription}", "Channel subscriptions of open connections.");
        MessagesReceived = meter.CreateCounter<long>("vsmenu.realtime.messages.received", "{message}", "Messages received from clients.");
        Deliveries = meter.CreateCounter<long>("vsmenu.realtime.deliveries", "{frame}", "Channel events written to client queues.");
        Published = meter.CreateCounter<long>("vsmenu.realtime.events.received", "{event}", "Channel events received from Redis.");
        DeliveryLatency = meter.CreateHistogram<double>("vsmenu.realtime.delivery.latency", "ms", "From publishing to Redis to queuing for the sockets of this replica.");
    }

    public UpDownCounter<long> Connections { get; }

    public UpDownCounter<long> Subscriptions { get; }

    public Counter<long> MessagesReceived { get; }

    public Counter<long> Deliveries { get; }

    public Counter<long> Published { get; }

    public Histogram<double> DeliveryLatency { get; }
}
