using System.Text.Json;

namespace VSmenu.Bench.Realtime;

/// <summary>Reads a frame's top-level <c>event</c> without building a document: the clients' per-frame cost stays small.</summary>
internal static class FrameEvent
{
    public static bool Is(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> eventName)
    {
        var reader = new Utf8JsonReader(frame);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isEvent = reader.ValueTextEquals("event"u8);
            reader.Read();
            if (isEvent)
            {
                return reader.TokenType == JsonTokenType.String && reader.ValueTextEquals(eventName);
            }

            reader.Skip();
        }

        return false;
    }
}
