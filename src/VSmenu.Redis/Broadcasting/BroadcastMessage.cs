using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace VSmenu.Redis.Broadcasting;

/// <summary>
/// What travels on <c>vsmenu:broadcast:{channel}</c>: a Pusher event for every hub replica's subscribers of
/// <see cref="Channel"/>, published by the outbox relay or by a hub replica (client events, presence). One record and
/// one source-generated JSON form, which the relay, the hub and the tests all write and read.
/// </summary>
public sealed record BroadcastMessage
{
    /// <summary>The outbox row's id, set by the relay: an event goes out at least once, and the hub drops a repeat by it.</summary>
    public long? Id { get; init; }

    /// <summary>The event name as clients listen for it, e.g. <c>order.created</c>.</summary>
    public required string Event { get; init; }

    /// <summary>The Pusher channel, e.g. <c>private-orders.42</c>.</summary>
    public required string Channel { get; init; }

    /// <summary>The event's payload: an object the hub sends as a JSON string, or a client event's data as the client sent it.</summary>
    public JsonNode? Data { get; init; }

    /// <summary>The socket that caused the event, which does not receive it (<c>toOthers</c>).</summary>
    public string? Socket { get; init; }

    /// <summary>The sender of a client event on a presence channel.</summary>
    public string? UserId { get; init; }

    /// <summary>A client event: its data goes to the other clients as they sent it.</summary>
    public bool Client { get; init; }

    /// <summary>Unix milliseconds at which it was published, so the hub can measure publish → deliver.</summary>
    public long? PublishedAt { get; init; }

    /// <summary>The restaurant whose event it is, for the delivery's span.</summary>
    public long? TenantId { get; init; }

    /// <summary>W3C trace context of the publish, which the hub's delivery continues.</summary>
    public string? TraceParent { get; init; }

    public byte[] ToUtf8Json() => JsonSerializer.SerializeToUtf8Bytes(this, BroadcastMessageJson.Default.BroadcastMessage);

    /// <summary>The message in <paramref name="json"/>; a <see cref="JsonException"/> when it is not one (no event or channel).</summary>
    public static BroadcastMessage FromJson(string json) =>
        JsonSerializer.Deserialize(json, BroadcastMessageJson.Default.BroadcastMessage) ?? throw new JsonException("A broadcast is null.");
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault)]
[JsonSerializable(typeof(BroadcastMessage))]
internal sealed partial class BroadcastMessageJson : JsonSerializerContext;
