using System.Text.Json.Nodes;

namespace VSmenu.Realtime.Pusher;

/// <summary>Reads the string values of client frames and Redis messages, where anything else counts as absent.</summary>
internal static class JsonText
{
    public static string? Of(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static string? Of(JsonObject? node, string name) => Of(node?[name]);
}
