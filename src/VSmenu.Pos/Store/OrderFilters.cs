using System.Globalization;
using System.Text.Json;

namespace VSmenu.Pos.Store;

/// <summary>The filters of the REST order list that matter at a till, with the same names and meanings.</summary>
public sealed record OrderFilters(string? Status, string? Type, long? TableId, long? CustomerId, DateTimeOffset? CreatedFrom, DateTimeOffset? CreatedTo)
{
    private static readonly string[] Names = ["status", "type", "table_id", "customer_id", "created_from", "created_to"];

    public static OrderFilters None { get; } = new(null, null, null, null, null, null);

    public static OrderFilters Parse(JsonElement? filters)
    {
        if (filters is not { ValueKind: JsonValueKind.Object } given)
        {
            return filters is null or { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined }
                ? None
                : throw PosError.Of(400, "The filters must be an object.");
        }

        foreach (var property in given.EnumerateObject())
        {
            if (!Names.Contains(property.Name, StringComparer.Ordinal))
            {
                throw PosError.Of(400, $"Unknown filter '{property.Name}'. Allowed: {string.Join(", ", Names)}.");
            }
        }

        return new(
            Text(given, "status"),
            Text(given, "type"),
            Number(given, "table_id"),
            Number(given, "customer_id"),
            Instant(given, "created_from", endOfDay: false),
            Instant(given, "created_to", endOfDay: true));
    }

    private static string? Text(JsonElement filters, string name) =>
        filters.TryGetProperty(name, out var value) && value.ValueKind is not JsonValueKind.Null ? value.ToString() : null;

    private static long? Number(JsonElement filters, string name) => Text(filters, name) switch
    {
        null => null,
        var text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) => number,
        var text => throw PosError.Of(400, $"The {name} filter must be a whole number, not '{text}'."),
    };

    /// <summary>A date alone means the whole day: from its start, to its end (as the REST list reads it).</summary>
    private static DateTimeOffset? Instant(JsonElement filters, string name, bool endOfDay) => Text(filters, name) switch
    {
        null => null,
        var text when DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) =>
            new DateTimeOffset(day.ToDateTime(endOfDay ? TimeOnly.MaxValue : TimeOnly.MinValue), TimeSpan.Zero),
        var text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) => instant,
        var text => throw PosError.Of(400, $"The {name} filter must be a date or an ISO 8601 instant, not '{text}'."),
    };
}
