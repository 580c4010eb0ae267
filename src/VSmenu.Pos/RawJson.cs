using System.Text.Json;
using System.Text.Json.Serialization;

namespace VSmenu.Pos;

/// <summary>JSON the terminal already holds as text (stored records), written to a UI as it is, without a parse.</summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed record RawJson(ReadOnlyMemory<byte> Utf8);

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonSerializer.SerializeToUtf8Bytes(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) =>
        writer.WriteRawValue(value.Utf8.Span, skipInputValidation: true);
}
