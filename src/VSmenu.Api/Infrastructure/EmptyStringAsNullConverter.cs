using System.Text.Json;
using System.Text.Json.Serialization;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// Reads <c>""</c> as <c>null</c>, as Laravel's <c>ConvertEmptyStringsToNull</c> does: an emptied form field means
/// "no value", so it clears optional fields and fails <c>required</c> ones.
/// </summary>
internal sealed class EmptyStringAsNullConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        return string.IsNullOrEmpty(text) ? null : text;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}
