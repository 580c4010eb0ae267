using System.Text.Json.Nodes;

namespace VSmenu.Realtime.Pusher;

/// <summary>A message a client sent, as <see cref="PusherProtocol.Parse"/> read it.</summary>
public abstract record ClientMessage;

/// <summary><c>pusher:ping</c>: the client checks the connection is alive.</summary>
public sealed record PingMessage : ClientMessage;

/// <summary><c>pusher:pong</c>: the client answers the hub's ping.</summary>
public sealed record PongMessage : ClientMessage;

/// <summary><c>pusher:signin</c>: <paramref name="UserData"/> is the exact JSON string the signature covers.</summary>
public sealed record SignInMessage(string? Auth, string? UserData) : ClientMessage;

/// <summary><c>pusher:subscribe</c>: <paramref name="ChannelData"/> is the exact JSON string a presence signature covers.</summary>
public sealed record SubscribeMessage(string? Channel, string? Auth, string? ChannelData) : ClientMessage;

/// <summary><c>pusher:unsubscribe</c>.</summary>
public sealed record UnsubscribeMessage(string? Channel) : ClientMessage;

/// <summary>A <c>client-*</c> event, whose <paramref name="Data"/> is relayed as it came (an object or a string).</summary>
public sealed record ClientEventMessage(string Event, string? Channel, JsonNode? Data) : ClientMessage;

/// <summary>An event name the hub does not handle.</summary>
public sealed record UnsupportedMessage(string Event) : ClientMessage;

/// <summary>Not a JSON object with a string <c>event</c>: binary, not JSON, or no event.</summary>
public sealed record MalformedMessage : ClientMessage;
