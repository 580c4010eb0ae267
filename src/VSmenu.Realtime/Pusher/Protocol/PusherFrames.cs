using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// The JSON frames the hub sends (the other half of <see cref="PusherProtocol"/>). <c>pusher:*</c> events carry <c>data</c> as a JSON string (pusher-js parses it),
/// channel events too unless a client sent an object, which is relayed as it came.
/// </summary>
public static class PusherFrames
{
    /// <summary>
    /// Frames escape only what JSON requires, as Pusher's own do (<c>\"</c>, not <c>\u0022</c>; <c>São</c>, not
    /// <c>S\u00E3o</c>): an event's data is a string of JSON, so the default encoder made every quote in it six bytes, and a
    /// ticket's frame about twice the size, to write to every socket and parse on every tablet. Frames are never embedded in HTML.
    /// </summary>
    private static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string ConnectionEstablished(string socketId, TimeSpan activityTimeout) =>
        Frame("pusher:connection_established", null, JsonSerializer.Serialize(new { socket_id = socketId, activity_timeout = (int)activityTimeout.TotalSeconds }, Wire));

    public static string Error(int? code, string message) =>
        Frame("pusher:error", null, JsonSerializer.Serialize(new { code, message }, Wire));

    public static string SignedIn(string userData) => Frame("pusher:signin_success", null, JsonSerializer.Serialize(new { user_data = userData }, Wire));

    public static string Pong() => Frame("pusher:pong", null, "{}");

    public static string Ping() => Frame("pusher:ping", null, "{}");

    public static string SubscriptionSucceeded(string channel, string data = "{}") => Frame("pusher_internal:subscription_succeeded", channel, data);

    /// <summary>A presence channel's welcome: who is on it, <c>{presence: {ids, hash: {id: user_info}, count}}</c>.</summary>
    public static string PresenceSubscriptionSucceeded(string channel, IReadOnlyList<PresenceMember> members)
    {
        var hash = new JsonObject();
        foreach (var member in members)
        {
            hash[member.UserId] = member.UserInfo?.DeepClone();
        }

        var presence = new JsonObject
        {
            ["ids"] = new JsonArray(members.Select(member => (JsonNode?)JsonValue.Create(member.UserId)).ToArray()),
            ["hash"] = hash,
            ["count"] = members.Count,
        };
        return SubscriptionSucceeded(channel, new JsonObject { ["presence"] = presence }.ToJsonString(Wire));
    }

    /// <summary>The data of <c>pusher_internal:member_added</c>.</summary>
    public static JsonObject MemberAdded(PresenceMember member) => new() { ["user_id"] = member.UserId, ["user_info"] = member.UserInfo?.DeepClone() };

    /// <summary>The data of <c>pusher_internal:member_removed</c>.</summary>
    public static JsonObject MemberRemoved(string userId) => new() { ["user_id"] = userId };

    /// <summary>Sent by the hub, so Echo's <c>.error()</c> fires as it does when the authorizer itself fails.</summary>
    public static string SubscriptionError(string channel, string type, string error, int status) =>
        Frame("pusher:subscription_error", channel, JsonSerializer.Serialize(new { type, error, status }, Wire));

    /// <summary>An event on a channel; <paramref name="data"/> is sent as a JSON string unless it is an object a client sent.</summary>
    public static string ChannelEvent(string eventName, string channel, JsonNode? data, string? userId, bool relayDataAsIs)
    {
        var frame = new JsonObject
        {
            ["event"] = eventName,
            ["channel"] = channel,
            ["data"] = relayDataAsIs || data is JsonValue ? data?.DeepClone() : JsonValue.Create(data?.ToJsonString(Wire) ?? "{}"),
        };
        if (userId is not null)
        {
            frame["user_id"] = userId;
        }

        return frame.ToJsonString(Wire);
    }

    /// <summary>What an error repeats of a client's text (a channel or event name): at most 200 characters.</summary>
    public static string Clip(string text) => text.Length <= 200 ? text : text[..200];

    private static string Frame(string eventName, string? channel, string data)
    {
        var frame = new JsonObject { ["event"] = eventName };
        if (channel is not null)
        {
            frame["channel"] = channel;
        }

        frame["data"] = data;
        return frame.ToJsonString(Wire);
    }
}
