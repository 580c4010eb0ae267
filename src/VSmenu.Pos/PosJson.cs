using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace VSmenu.Pos;

/// <summary>The REST API's wire form (snake_case), which the terminal stores and hands to its UI unchanged.</summary>
public static class PosJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>An instant as stored in a sortable column: UTC, fixed width.</summary>
    public static string Sortable(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>An instant as the api writes it: UTC with a <c>Z</c>, never an offset.</summary>
    public static string Wire(DateTimeOffset instant) => instant.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    public static JsonObject ParseObject(string json) => JsonNode.Parse(json)!.AsObject();

    public static string? Text(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    public static long? Number(JsonNode? node) => node is JsonValue value && value.TryGetValue<long>(out var number) ? number : null;
}
