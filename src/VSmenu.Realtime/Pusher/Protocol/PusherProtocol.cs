using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Reads what clients send (protocol 7): an envelope <c>{event, channel?, data?}</c> whose <c>data</c> may be an object
/// or a JSON string holding one (clients differ), into a typed <see cref="ClientMessage"/>; and the documents inside
/// messages (<c>channel_data</c>, <c>user_data</c>). Only shapes are checked here; limits and signatures are the hub's.
/// </summary>
public static class PusherProtocol
{
    /// <summary>Reads a text frame (<paramref name="text"/> null for a binary one).</summary>
    public static ClientMessage Parse(string? text)
    {
        if (text is null || ParseObject(text) is not { } envelope || JsonText.Of(envelope, "event") is not { } eventName)
        {
            return new MalformedMessage();
        }

        return eventName switch
        {
            "pusher:ping" => new PingMessage(),
            "pusher:pong" => new PongMessage(),
            "pusher:signin" => SignIn(DataOf(envelope)),
            "pusher:subscribe" => Subscribe(DataOf(envelope)),
            "pusher:unsubscribe" => new UnsubscribeMessage(JsonText.Of(DataOf(envelope), "channel")),
            _ when eventName.StartsWith("client-", StringComparison.Ordinal) =>
                new ClientEventMessage(eventName, JsonText.Of(envelope, "channel"), envelope["data"]?.DeepClone()),
            _ => new UnsupportedMessage(eventName),
        };
    }

    private static SignInMessage SignIn(JsonObject? data) => new(JsonText.Of(data, "auth"), JsonText.Of(data, "user_data"));

    private static SubscribeMessage Subscribe(JsonObject? data) =>
        new(JsonText.Of(data, "channel"), JsonText.Of(data, "auth"), JsonText.Of(data, "channel_data"));

    /// <summary>
    /// The member a presence subscription's <c>channel_data</c> names: a non-empty <c>user_id</c> (a string, or a number
    /// as pusher-http-node and Laravel send it) and any <c>user_info</c>; null when there is none.
    /// </summary>
    public static PresenceMember? MemberOf(string? channelData)
    {
        var data = channelData is null ? null : ParseObject(channelData);
        var userId = data?["user_id"] switch
        {
            JsonValue value when value.TryGetValue<string>(out var text) => text,
            JsonValue value when value.TryGetValue<long>(out var number) => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        return userId is { Length: > 0 } ? new PresenceMember(userId, data!["user_info"]?.DeepClone()) : null;
    }

    /// <summary>The <c>id</c> of a sign-in's <c>user_data</c>, which pusher-js requires to be a non-empty string.</summary>
    public static string? UserIdOf(string? userData) =>
        userData is null ? null : JsonText.Of(ParseObject(userData), "id") is { Length: > 0 } id ? id : null;

    private static JsonObject? DataOf(JsonObject envelope) => envelope["data"] switch
    {
        JsonObject data => data,
        JsonValue value when JsonText.Of(value) is { } text => ParseObject(text),
        _ => null,
    };

    private static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
