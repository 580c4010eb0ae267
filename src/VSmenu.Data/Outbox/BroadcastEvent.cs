namespace VSmenu.Data.Outbox;

/// <summary>An event for the tenant's realtime clients: its name, the channels it goes to and its payload.</summary>
public sealed record BroadcastEvent(long TenantId, string Name, IReadOnlyList<string> Channels, object Payload)
{
    /// <summary>The outbox rows that carry this event, one per channel, in the current trace.</summary>
    public IEnumerable<OutboxMessage> ToOutboxMessages(string? socketId)
    {
        var traceParent = System.Diagnostics.Activity.Current?.Id;
        var payload = System.Text.Json.JsonSerializer.Serialize(Payload, WireJson.Options);
        return Channels.Select(channel => new OutboxMessage
        {
            TenantId = TenantId,
            Channel = channel,
            Event = Name,
            Payload = payload,
            SocketId = socketId,
            TraceParent = traceParent,
        });
    }
}
