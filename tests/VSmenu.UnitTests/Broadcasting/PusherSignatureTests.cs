using VSmenu.Broadcasting;

namespace VSmenu.UnitTests.Broadcasting;

/// <summary>Pusher's published test vectors (key 278d425bdf160c739803, secret 7ad3773142a6692b25b8, socket 1234.1234).</summary>
public sealed class PusherSignatureTests
{
    private static readonly PusherAppOptions App = new() { AppId = "3", Key = "278d425bdf160c739803", Secret = "7ad3773142a6692b25b8" };

    [Fact]
    public void A_private_channel_is_signed_over_socket_and_channel()
    {
        Assert.Equal(
            "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4",
            PusherSignature.ChannelAuth(App, "1234.1234", "private-foobar", channelData: null));
    }

    [Fact]
    public void A_presence_channel_is_signed_over_the_exact_channel_data_string()
    {
        Assert.Equal(
            "278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80",
            PusherSignature.ChannelAuth(App, "1234.1234", "presence-foobar", """{"user_id":10,"user_info":{"name":"Mr. Channels"}}"""));
    }

    [Fact]
    public void Verification_accepts_only_the_exact_signature()
    {
        var stringToSign = PusherSignature.ChannelStringToSign("1234.1234", "private-foobar", null);

        Assert.True(PusherSignature.Verify(App.Secret, stringToSign, "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"));
        Assert.False(PusherSignature.Verify(App.Secret, stringToSign, "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a5"));
        Assert.False(PusherSignature.Verify(App.Secret, stringToSign, "58DF8B0C36D6982B82C3ECF6B4662E34FE8C25BBA48F5369F135BF843651C3A4"));
        Assert.False(PusherSignature.Verify(App.Secret, stringToSign, ""));
        Assert.False(PusherSignature.Verify("another secret", stringToSign, "58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4"));
    }

    [Theory]
    [InlineData("private-orders.1", ChannelKind.Private, true)]
    [InlineData("private-encrypted-orders.1", ChannelKind.PrivateEncrypted, true)]
    [InlineData("presence-restaurant.1", ChannelKind.Presence, true)]
    [InlineData("foo-private-x", ChannelKind.Public, true)]
    [InlineData("orders=1@a,b.c;d_e-f", ChannelKind.Public, true)]
    [InlineData("#server-to-user-1", ChannelKind.Public, false)]
    [InlineData("orders 1", ChannelKind.Public, false)]
    [InlineData("", ChannelKind.Public, false)]
    public void Channel_names_follow_pushers_prefixes_and_alphabet(string channel, ChannelKind kind, bool valid)
    {
        Assert.Equal(kind, ChannelName.KindOf(channel));
        Assert.Equal(valid, ChannelName.IsValid(channel));
    }

    [Fact]
    public void Channel_names_are_at_most_164_characters()
    {
        Assert.True(ChannelName.IsValid(new string('a', 164)));
        Assert.False(ChannelName.IsValid(new string('a', 165)));
    }

    [Fact]
    public void Socket_ids_are_two_integers_and_new_ones_look_like_pushers()
    {
        Assert.True(PusherSocketId.IsValid("1234.1234"));
        Assert.False(PusherSocketId.IsValid("1234"));
        Assert.False(PusherSocketId.IsValid("a.b"));
        Assert.False(PusherSocketId.IsValid(null));
        Assert.True(PusherSocketId.IsValid(PusherSocketId.Create()));
        Assert.NotEqual(PusherSocketId.Create(), PusherSocketId.Create());
    }
}
