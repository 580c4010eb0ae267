using System.Text.Json.Nodes;

namespace VSmenu.Realtime.Pusher;

/// <summary>A presence channel membership: who a connection is on that channel.</summary>
public sealed record PresenceMember(string UserId, JsonNode? UserInfo);
