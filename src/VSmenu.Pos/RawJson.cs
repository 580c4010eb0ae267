using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace VSmenu.Pos;

/// <summary>
/// JSON the terminal already holds as text (stored records), written to a UI as it is, without a parse. A list built
/// from records (<see cref="Array"/>) lives in a pooled buffer that goes back to the pool once the answer is written:
/// <c>orders:getAll</c> on 1,000 orders is a megabyte, and a fresh one per call, grown by doubling, spent a third of the
/// call copying and zeroing large-object-heap arrays, and their collections made its tail.
/// </summary>
[JsonConverter(typeof(RawJsonConverter))]
public sealed class RawJson
{
    private readonly int _length;
    private readonly bool _pooled;
    private byte[]? _utf8;

    public RawJson(byte[] utf8)
        : this(utf8, utf8.Length, pooled: false)
    {
    }

    private RawJson(byte[] utf8, int length, bool pooled) => (_utf8, _length, _pooled) = (utf8, length, pooled);

    /// <summary>Starts a JSON array of stored records, in a pooled buffer.</summary>
    public static ArrayBuilder Array() => new();

    /// <summary>Writes the JSON; a pooled one goes back to the pool, so it can be written only once (as an IPC answer is).</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        var utf8 = Interlocked.Exchange(ref _utf8, null)
            ?? throw new InvalidOperationException("This JSON was in a pooled buffer that went back to the pool when it was first written.");
        writer.WriteRawValue(utf8.AsSpan(0, _length), skipInputValidation: true);
        if (_pooled)
        {
            ArrayPool<byte>.Shared.Return(utf8);
        }
        else
        {
            _utf8 = utf8;
        }
    }

    public sealed class ArrayBuilder
    {
        private const int FirstSize = 64 * 1024;
        private byte[] _buffer = ArrayPool<byte>.Shared.Rent(FirstSize);
        private int _length;

        internal ArrayBuilder() => _buffer[_length++] = (byte)'[';

        /// <summary>Adds one stored record, trusted to be valid JSON (the terminal wrote it).</summary>
        public void Add(ReadOnlySpan<byte> element)
        {
            Reserve(element.Length + 2);
            if (_length > 1)
            {
                _buffer[_length++] = (byte)',';
            }

            element.CopyTo(_buffer.AsSpan(_length));
            _length += element.Length;
        }

        public RawJson Build()
        {
            Reserve(1);
            _buffer[_length++] = (byte)']';
            return new RawJson(_buffer, _length, pooled: true);
        }

        private void Reserve(int more)
        {
            if (_length + more <= _buffer.Length)
            {
                return;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + more));
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }
    }
}

public sealed class RawJsonConverter : JsonConverter<RawJson>
{
    public override RawJson Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return new RawJson(JsonSerializer.SerializeToUtf8Bytes(document.RootElement));
    }

    public override void Write(Utf8JsonWriter writer, RawJson value, JsonSerializerOptions options) => value.WriteTo(writer);
}
