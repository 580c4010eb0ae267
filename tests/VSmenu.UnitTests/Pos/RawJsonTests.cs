using System.Text;
using System.Text.Json;
using VSmenu.Pos;

namespace VSmenu.UnitTests.Pos;

/// <summary>How the terminal hands stored JSON to a UI: records copied into one array, and instants written as the api writes them.</summary>
public sealed class RawJsonTests
{
    private static string Written(RawJson json)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            JsonSerializer.Serialize(writer, json);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [Fact]
    public void Stored_records_become_one_json_array_even_past_the_first_buffer()
    {
        var records = RawJson.Array();
        var large = $$"""{"notes":"{{new string('x', 100_000)}}"}""";
        records.Add("""{"id":1}"""u8);
        records.Add(Encoding.UTF8.GetBytes(large));
        records.Add("""{"id":3}"""u8);

        var array = JsonDocument.Parse(Written(records.Build())).RootElement;

        Assert.Equal(3, array.GetArrayLength());
        Assert.Equal(1, array[0].GetProperty("id").GetInt32());
        Assert.Equal(100_000, array[1].GetProperty("notes").GetString()!.Length);
        Assert.Equal(3, array[2].GetProperty("id").GetInt32());
    }

    [Fact]
    public void No_records_are_an_empty_array()
    {
        Assert.Equal("[]", Written(RawJson.Array().Build()));
    }

    [Fact]
    public void A_pooled_array_is_written_once_and_a_second_write_fails_instead_of_reading_a_reused_buffer()
    {
        var records = RawJson.Array();
        records.Add("""{"id":1}"""u8);
        var built = records.Build();
        Written(built);

        Assert.Throws<InvalidOperationException>(() => Written(built));
    }

    [Fact]
    public void Json_the_terminal_holds_as_bytes_can_be_written_again_and_again()
    {
        var held = new RawJson("""{"id":1}"""u8.ToArray());

        Assert.Equal(Written(held), Written(held));
    }

    [Fact]
    public void An_instant_is_written_in_utc_with_a_z_as_the_api_writes_it()
    {
        var inSaoPaulo = new DateTimeOffset(2026, 12, 4, 19, 25, 34, TimeSpan.FromHours(-3)).AddTicks(8_882_524);

        Assert.Equal("2026-12-04T22:25:34.8882524Z", PosJson.Wire(inSaoPaulo));
    }
}
