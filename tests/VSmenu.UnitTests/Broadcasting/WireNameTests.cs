using VSmenu.Broadcasting;

namespace VSmenu.UnitTests.Broadcasting;

/// <summary>Socket ids and channel names are checked character by character: ASCII digits only, nothing after the name.</summary>
public sealed class WireNameTests
{
    [Theory]
    [InlineData("1234.5678", true)]
    [InlineData("12345678901234567890.1", true)]
    [InlineData("1234.5678\n", false)]
    [InlineData("1234.5678 ", false)]
    [InlineData("\u0661\u0662\u0663.\u0664\u0665\u0666", false)]
    [InlineData("\uFF11.\uFF12", false)]
    [InlineData("123456789012345678901.1", false)]
    [InlineData("1.2.3", false)]
    [InlineData(".1", false)]
    [InlineData("1.", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void A_socket_id_is_two_ascii_numbers_joined_by_a_dot(string? socketId, bool valid) =>
        Assert.Equal(valid, PusherSocketId.IsValid(socketId));

    [Fact]
    public void Socket_ids_the_hub_issues_are_valid() => Assert.True(PusherSocketId.IsValid(PusherSocketId.Create()));

    [Theory]
    [InlineData("private-orders.7", true)]
    [InlineData("presence-restaurant.7", true)]
    [InlineData("a_b-c=d@e,f.g;h", true)]
    [InlineData("private-orders.7\n", false)]
    [InlineData("private-orders.\u0667", false)]
    [InlineData("pedidos-são-joão", false)]
    [InlineData("", false)]
    public void A_channel_name_is_pushers_alphabet_and_nothing_else(string channel, bool valid) =>
        Assert.Equal(valid, ChannelName.IsValid(channel));

    [Fact]
    public void A_channel_name_is_at_most_164_characters() =>
        Assert.Equal((true, false), (ChannelName.IsValid(new string('a', 164)), ChannelName.IsValid(new string('a', 165))));
}
