using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using VSmenu.Broadcasting;
using VSmenu.Realtime.Pusher;

namespace VSmenu.UnitTests.Realtime;

/// <summary>
/// The hub's reading and writing of Pusher frames (protocol 7), with the frames of
/// <c>shared/reference/pusher-protocol.md</c>: what pusher-js 8.6, pusher-websocket-java and Laravel send, and what they
/// expect back.
/// </summary>
public sealed class PusherProtocolTests
{
    [Fact]
    public void Pusher_js_subscribes_to_a_public_channel_with_an_empty_auth()
    {
        var message = PusherProtocol.Parse("""{"event":"pusher:subscribe","data":{"auth":"","channel":"test-channel"}}""");

        Assert.Equal(new SubscribeMessage("test-channel", "", null), message);
    }

    [Fact]
    public void A_presence_subscription_keeps_channel_data_as_the_exact_string_that_was_signed()
    {
        const string channelData = """{"user_id":10,"user_info":{"name":"Mr. Channels"}}""";
        var frame = new JsonObject
        {
            ["event"] = "pusher:subscribe",
            ["data"] = new JsonObject { ["channel"] = "presence-foobar", ["auth"] = "278d425bdf160c739803:31935e", ["channel_data"] = channelData },
        };

        var message = Assert.IsType<SubscribeMessage>(PusherProtocol.Parse(frame.ToJsonString()));

        Assert.Equal(channelData, message.ChannelData);
        Assert.Equal("10", PusherProtocol.MemberOf(channelData)!.UserId);
        Assert.Equal("""{"name":"Mr. Channels"}""", PusherProtocol.MemberOf(channelData)!.UserInfo!.ToJsonString());
    }

    [Fact]
    public void Data_sent_as_a_json_string_reads_like_an_object()
    {
        var message = PusherProtocol.Parse("""{"event":"pusher:subscribe","data":"{\"channel\":\"private-orders.12\",\"auth\":\"k:s\"}"}""");

        Assert.Equal(new SubscribeMessage("private-orders.12", "k:s", null), message);
    }

    [Fact]
    public void Sign_in_carries_the_user_data_string_and_its_id()
    {
        var message = PusherProtocol.Parse("""{"event":"pusher:signin","data":{"auth":"k:s","user_data":"{\"id\":\"12345\"}"}}""");

        Assert.Equal(new SignInMessage("k:s", """{"id":"12345"}"""), message);
        Assert.Equal("12345", PusherProtocol.UserIdOf("""{"id":"12345"}"""));
    }

    [Theory]
    [InlineData("""{"id":12345}""")]
    [InlineData("""{"id":""}""")]
    [InlineData("""{"name":"ana"}""")]
    [InlineData("not json")]
    [InlineData(null)]
    public void Sign_in_needs_a_non_empty_string_id_as_pusher_js_does(string? userData) => Assert.Null(PusherProtocol.UserIdOf(userData));

    [Fact]
    public void Ping_pong_and_unsubscribe_are_read()
    {
        Assert.IsType<PingMessage>(PusherProtocol.Parse("""{"event":"pusher:ping","data":{}}"""));
        Assert.IsType<PongMessage>(PusherProtocol.Parse("""{"event":"pusher:pong"}"""));
        Assert.Equal(new UnsubscribeMessage("test-channel"), PusherProtocol.Parse("""{"event":"pusher:unsubscribe","data":{"channel":"test-channel"}}"""));
        Assert.Equal(new UnsubscribeMessage(null), PusherProtocol.Parse("""{"event":"pusher:unsubscribe"}"""));
    }

    [Theory]
    [InlineData("""{"event":"client-start-typing","channel":"private-chat","data":{"who":"ana"}}""", """{"who":"ana"}""")]
    [InlineData("""{"event":"client-start-typing","channel":"private-chat","data":"{\"who\":\"ana\"}"}""", "\"{\\\"who\\\":\\\"ana\\\"}\"")]
    public void A_client_event_keeps_its_data_as_it_came_an_object_from_pusher_js_or_a_string_from_the_java_client(string frame, string data)
    {
        var message = Assert.IsType<ClientEventMessage>(PusherProtocol.Parse(frame));

        Assert.Equal(("client-start-typing", "private-chat"), (message.Event, message.Channel));
        AssertJson(data, message.Data!.ToJsonString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"channel":"x"}""")]
    [InlineData("""{"event":42}""")]
    public void Anything_but_an_object_with_a_string_event_is_malformed(string? text) =>
        Assert.IsType<MalformedMessage>(PusherProtocol.Parse(text));

    [Fact]
    public void An_unknown_event_is_named_back()
    {
        Assert.Equal(new UnsupportedMessage("pusher:cache_miss"), PusherProtocol.Parse("""{"event":"pusher:cache_miss","data":{}}"""));
    }

    [Theory]
    [InlineData("""{"user_id":"7"}""", "7")]
    [InlineData("""{"user_id":10}""", "10")]
    [InlineData("""{"user_id":""}""", null)]
    [InlineData("""{"user_id":true}""", null)]
    [InlineData("""{"user_info":{}}""", null)]
    [InlineData("not json", null)]
    public void A_presence_member_is_a_string_or_numeric_user_id(string channelData, string? userId) =>
        Assert.Equal(userId, PusherProtocol.MemberOf(channelData)?.UserId);

    [Fact]
    public void The_handshake_sends_socket_id_and_activity_timeout_as_a_json_string()
    {
        AssertJson(
            """{"event":"pusher:connection_established","data":"{\"socket_id\":\"123.456\",\"activity_timeout\":30}"}""",
            PusherFrames.ConnectionEstablished("123.456", TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void Subscription_succeeded_frames_match_the_reference()
    {
        AssertJson(
            """{"event":"pusher_internal:subscription_succeeded","data":"{}","channel":"test-channel"}""",
            PusherFrames.SubscriptionSucceeded("test-channel"));
        AssertJson(
            """{"event":"pusher_internal:subscription_succeeded","channel":"presence-foobar","data":"{\"presence\":{\"ids\":[\"10\"],\"hash\":{\"10\":{\"name\":\"Mr. Channels\"}},\"count\":1}}"}""",
            PusherFrames.PresenceSubscriptionSucceeded("presence-foobar", [new PresenceMember("10", JsonNode.Parse("""{"name":"Mr. Channels"}"""))]));
    }

    [Fact]
    public void Errors_carry_code_and_message_as_a_json_string()
    {
        AssertJson(
            """{"event":"pusher:error","data":"{\"code\":4201,\"message\":\"Pong reply not received in time\"}"}""",
            PusherFrames.Error(PusherErrors.PongNotReceived, "Pong reply not received in time"));
        AssertJson("""{"event":"pusher:pong","data":"{}"}""", PusherFrames.Pong());
    }

    [Fact]
    public void A_channel_event_sends_server_data_as_a_string_and_relays_a_whisper_as_it_came_with_its_user()
    {
        AssertJson(
            """{"event":"order.created","channel":"private-orders.12","data":"{\"id\":1}"}""",
            PusherFrames.ChannelEvent("order.created", "private-orders.12", JsonNode.Parse("""{"id":1}"""), userId: null, relayDataAsIs: false));
        AssertJson(
            """{"event":"client-start-typing","channel":"presence-chat","data":{"who":"ana"},"user_id":"7"}""",
            PusherFrames.ChannelEvent("client-start-typing", "presence-chat", JsonNode.Parse("""{"who":"ana"}"""), userId: "7", relayDataAsIs: true));
    }

    [Fact]
    public void A_channel_event_escapes_only_what_json_requires_as_pusher_does()
    {
        Assert.Equal(
            """{"event":"order.created","channel":"private-orders.12","data":"{\"id\":1,\"customer\":\"São João <b>\"}"}""",
            PusherFrames.ChannelEvent("order.created", "private-orders.12", JsonNode.Parse("""{"id":1,"customer":"São João <b>"}"""), userId: null, relayDataAsIs: false));
    }

    [Fact]
    public void Presence_announcements_name_the_user()
    {
        Assert.Equal("""{"user_id":"10","user_info":{"name":"Ana"}}""", PusherFrames.MemberAdded(new PresenceMember("10", JsonNode.Parse("""{"name":"Ana"}"""))).ToJsonString());
        Assert.Equal("""{"user_id":"10"}""", PusherFrames.MemberRemoved("10").ToJsonString());
    }

    [Fact]
    public void Subscriptions_and_sign_ins_are_checked_against_pusher_s_signature_vectors()
    {
        var authorization = new ClientAuthorization(Options.Create(new PusherAppOptions { AppId = "3", Key = "278d425bdf160c739803", Secret = "7ad3773142a6692b25b8" }));
        const string presenceData = """{"user_id":10,"user_info":{"name":"Mr. Channels"}}""";

        Assert.True(authorization.MaySubscribe("1234.1234", "test-channel", new SubscribeMessage("test-channel", "", null)));
        Assert.True(authorization.MaySubscribe("1234.1234", "private-foobar",
            new SubscribeMessage("private-foobar", "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4", null)));
        Assert.False(authorization.MaySubscribe("1234.1235", "private-foobar",
            new SubscribeMessage("private-foobar", "278d425bdf160c739803:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4", null)));
        Assert.False(authorization.MaySubscribe("1234.1234", "private-foobar",
            new SubscribeMessage("private-foobar", "another-key:58df8b0c36d6982b82c3ecf6b4662e34fe8c25bba48f5369f135bf843651c3a4", null)));
        Assert.True(authorization.MaySubscribe("1234.1234", "presence-foobar",
            new SubscribeMessage("presence-foobar", "278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80", presenceData)));
        Assert.False(authorization.MaySubscribe("1234.1234", "presence-foobar",
            new SubscribeMessage("presence-foobar", "278d425bdf160c739803:31935e7d86dba64c2a90aed31fdc61869f9b22ba9d8863bba239c03ca481bc80", presenceData.Replace("10", "11"))));
        Assert.True(authorization.MaySignIn("1234.1234",
            new SignInMessage("278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba", """{"id":"12345"}""")));
        Assert.False(authorization.MaySignIn("1234.1234", new SignInMessage("278d425bdf160c739803:4708d583dada6a56435fb8bc611c77c359a31eebde13337c16ab43aa6de336ba", null)));
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}, got {actual}");
}
