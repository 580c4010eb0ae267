using System.Net;
using System.Net.WebSockets;
using System.Text.RegularExpressions;
using VSmenu.Broadcasting;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>The Pusher protocol as the hub speaks it, frame by frame, with authorizations from the real api.</summary>
public sealed class RealtimeTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_handshake_gives_a_pusher_socket_id_and_activity_timeout_and_pings_are_answered()
    {
        await using var client = await PusherClient.ConnectAsync(topology);

        var established = PusherClient.Data(client.Established);
        await client.SendAsync(new { @event = "pusher:ping", data = new { } });
        var pong = await client.NextAsync("pusher:pong");

        Assert.Matches(new Regex(@"^\d+\.\d+$"), client.SocketId);
        Assert.Equal(30, established["activity_timeout"]!.GetValue<int>());
        Assert.Equal("{}", pong["data"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_unknown_app_key_is_refused_with_4001()
    {
        await using var client = await PusherClient.ConnectAsync(topology, key: "not-our-key", expectHandshake: false);

        var error = PusherClient.Data(await client.NextAsync("pusher:error"));
        await client.WaitForCloseAsync();

        Assert.Equal(4001, error["code"]!.GetValue<int>());
        Assert.Equal((WebSocketCloseStatus)4001, client.CloseStatus);
    }

    [Fact]
    public async Task An_order_created_through_the_api_reaches_the_restaurants_subscribers_except_the_socket_that_made_it()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(21.00m);
        await using var pos = await PusherClient.ConnectAsync(topology);
        await using var kitchenScreen = await PusherClient.ConnectAsync(topology);
        var channel = $"private-orders.{owner.TenantId}";
        foreach (var client in new[] { pos, kitchenScreen })
        {
            await client.SubscribeAsync(channel, (await AuthorizeAsync(owner, client.SocketId, channel)).Body!["auth"]!.GetValue<string>());
            Assert.Equal("{}", (await client.NextAsync("pusher_internal:subscription_succeeded", channel))["data"]!.GetValue<string>());
        }

        var order = (await owner.PostAsync("/api/v1/orders", OrderBodies.Takeaway(menu.CustomerId, menu.Products[0]), socketId: pos.SocketId)).AssertStatus(HttpStatusCode.Created);

        var created = await kitchenScreen.NextAsync("order.created", channel);
        Assert.Equal(order.Id, PusherClient.Data(created)["order"]!["id"]!.GetValue<long>());
        Assert.Equal(System.Text.Json.JsonValueKind.String, created["data"]!.GetValueKind());
        await pos.AssertNothingAsync("order.created");
    }

    [Fact]
    public async Task A_forged_or_missing_signature_is_a_subscription_error_and_other_tenants_channels_are_not_authorized()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var stranger = await ApiSession.RegisterAsync(topology);
        await using var client = await PusherClient.ConnectAsync(topology);
        var channel = $"private-orders.{owner.TenantId}";
        var key = await PusherClient.AppSettingAsync(topology, "pusher-app-key");

        await client.SubscribeAsync(channel, $"{key}:{new string('0', 64)}");
        var forged = PusherClient.Data(await client.NextAsync("pusher:subscription_error", channel));
        await client.SubscribeAsync($"private-tables.{owner.TenantId}");
        var missing = PusherClient.Data(await client.NextAsync("pusher:subscription_error", $"private-tables.{owner.TenantId}"));
        var strangers = await AuthorizeAsync(stranger, client.SocketId, channel);

        Assert.Equal(("AuthError", 401), (forged["type"]!.GetValue<string>(), forged["status"]!.GetValue<int>()));
        Assert.Equal("AuthError", missing["type"]!.GetValue<string>());
        strangers.AssertStatus(HttpStatusCode.Forbidden);
        await client.AssertNothingAsync("pusher_internal:subscription_succeeded");
    }

    [Fact]
    public async Task The_kitchen_channel_is_authorized_for_the_kitchen_and_managers_but_not_for_waiters()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        using var cook = await owner.AddStaffAsync("kitchen");
        var channel = $"private-kitchen.{owner.TenantId}";

        (await AuthorizeAsync(cook, "1.1", channel)).AssertStatus(HttpStatusCode.OK);
        (await AuthorizeAsync(owner, "1.1", channel)).AssertStatus(HttpStatusCode.OK);
        (await AuthorizeAsync(waiter, "1.1", channel)).AssertStatus(HttpStatusCode.Forbidden);
        (await AuthorizeAsync(waiter, "1.1", "private-anything-else")).AssertStatus(HttpStatusCode.Forbidden);
        (await AuthorizeAsync(waiter, "not-a-socket", channel)).AssertStatus(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task The_authorizer_answers_json_bodies_at_laravels_path_with_a_signature_the_hub_accepts()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        await using var client = await PusherClient.ConnectAsync(topology);
        var channel = $"private-tables.{owner.TenantId}";
        var secret = await PusherClient.AppSettingAsync(topology, "pusher-app-secret");

        var response = await ApiResponse.ReadAsync(await owner.Http.PostAsync("/broadcasting/auth",
            System.Net.Http.Json.JsonContent.Create(new { socket_id = client.SocketId, channel_name = channel }), Cancellation));
        var auth = response.AssertStatus(HttpStatusCode.OK).Body!["auth"]!.GetValue<string>();
        await client.SubscribeAsync(channel, auth);

        await client.NextAsync("pusher_internal:subscription_succeeded", channel);
        Assert.Equal(PusherSignature.Sign(secret, $"{client.SocketId}:{channel}"), auth.Split(':')[1]);
    }

    [Fact]
    public async Task Presence_lists_members_once_per_user_and_announces_joins_and_leaves_once()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        using var waiter = await owner.AddStaffAsync("waiter");
        var channel = $"presence-restaurant.{owner.TenantId}";
        await using var ownersTablet = await JoinPresenceAsync(topology, owner, channel);
        var ownerJoined = PusherClient.Data(await ownersTablet.NextAsync("pusher_internal:subscription_succeeded", channel));

        await using var waitersPhone = await JoinPresenceAsync(topology, waiter, channel);
        var waiterJoined = PusherClient.Data(await waitersPhone.NextAsync("pusher_internal:subscription_succeeded", channel));
        var added = PusherClient.Data(await ownersTablet.NextAsync("pusher_internal:member_added", channel));
        await using var waitersSecondDevice = await JoinPresenceAsync(topology, waiter, channel);
        await waitersSecondDevice.NextAsync("pusher_internal:subscription_succeeded", channel);
        await ownersTablet.AssertNothingAsync("pusher_internal:member_added");
        await waitersPhone.DisposeAsync();
        await ownersTablet.AssertNothingAsync("pusher_internal:member_removed");
        await waitersSecondDevice.DisposeAsync();
        var removed = PusherClient.Data(await ownersTablet.NextAsync("pusher_internal:member_removed", channel));

        Assert.Equal(1, ownerJoined["presence"]!["count"]!.GetValue<int>());
        Assert.Equal(2, waiterJoined["presence"]!["count"]!.GetValue<int>());
        Assert.Equal(
            new[] { owner.UserId.ToString(), waiter.UserId.ToString() }.Order(),
            waiterJoined["presence"]!["ids"]!.AsArray().Select(id => id!.GetValue<string>()).Order());
        Assert.Equal("Ana Owner", waiterJoined["presence"]!["hash"]![owner.UserId.ToString()]!["name"]!.GetValue<string>());
        Assert.Equal((waiter.UserId.ToString(), "waiter"), (added["user_id"]!.GetValue<string>(), added["user_info"]!["role"]!.GetValue<string>()));
        Assert.Equal(waiter.UserId.ToString(), removed["user_id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Client_events_reach_the_other_subscribers_only_on_private_channels_and_at_most_10_a_second()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var channel = $"private-tables.{owner.TenantId}";
        await using var sender = await PusherClient.ConnectAsync(topology);
        await using var receiver = await PusherClient.ConnectAsync(topology);
        foreach (var client in new[] { sender, receiver })
        {
            await client.SubscribeAsync(channel, (await AuthorizeAsync(owner, client.SocketId, channel)).Body!["auth"]!.GetValue<string>());
            await client.NextAsync("pusher_internal:subscription_succeeded", channel);
        }

        await sender.SubscribeAsync("public-board");
        await sender.NextAsync("pusher_internal:subscription_succeeded", "public-board");

        await sender.SendAsync(new { @event = "client-typing", channel, data = new { table = 4 } });
        var whisper = await receiver.NextAsync("client-typing", channel);
        await sender.AssertNothingAsync("client-typing");
        await sender.SendAsync(new { @event = "client-typing", channel = "public-board", data = new { } });
        var onPublic = PusherClient.Data(await sender.NextAsync("pusher:error"));
        // The limit counts in fixed one-second windows: a burst of 21 puts 11 in one of the two windows it can straddle.
        for (var i = 0; i < 21; i++)
        {
            await sender.SendAsync(new { @event = "client-burst", channel, data = new { i } });
        }

        var limited = PusherClient.Data(await sender.NextAsync("pusher:error"));

        Assert.Equal(4, whisper["data"]!["table"]!.GetValue<int>());
        Assert.Equal(4301, onPublic["code"]!.GetValue<int>());
        Assert.Equal(4301, limited["code"]!.GetValue<int>());
        Assert.Contains("rate limit", limited["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_frames_get_an_error_and_the_connection_survives_but_an_oversize_frame_closes_it_with_1009()
    {
        await using var client = await PusherClient.ConnectAsync(topology);

        await client.SendTextAsync("{not json");
        var malformed = PusherClient.Data(await client.NextAsync("pusher:error"));
        await client.SubscribeAsync(new string('a', ChannelName.MaxLength + 1));
        var tooLong = PusherClient.Data(await client.NextAsync("pusher:subscription_error"));
        await client.SendAsync(new { @event = "pusher:ping", data = new { } });
        await client.NextAsync("pusher:pong");
        await client.SendTextAsync(new string(' ', 20_000));
        await client.WaitForCloseAsync();

        Assert.Contains("Invalid message format", malformed["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("InvalidChannel", tooLong["type"]!.GetValue<string>());
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, client.CloseStatus);
    }

    [Fact]
    public async Task A_message_in_several_fragments_is_read_whole_and_a_binary_message_gets_an_error()
    {
        await using var client = await PusherClient.ConnectAsync(topology);

        await client.SendFragmentsAsync("""{"event":"pus""", """her:ping","da""", """ta":{}}""");
        await client.NextAsync("pusher:pong");
        await client.SendBinaryAsync("""{"event":"pusher:ping","data":{}}""");
        var refused = PusherClient.Data(await client.NextAsync("pusher:error"));
        await client.SendAsync(new { @event = "pusher:ping", data = new { } });
        await client.NextAsync("pusher:pong");

        Assert.Contains("Invalid message format", refused["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_signed_in_user_joins_only_their_own_user_channel_and_a_forged_sign_in_is_closed_with_4009()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        await using var client = await PusherClient.ConnectAsync(topology);
        await using var forger = await PusherClient.ConnectAsync(topology);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["socket_id"] = client.SocketId });
        var signin = (await ApiResponse.ReadAsync(await owner.Http.PostAsync("/api/v1/broadcasting/user-auth", form, Cancellation)))
            .AssertStatus(HttpStatusCode.OK).Body!;
        var userData = signin["user_data"]!.GetValue<string>();

        await client.SendAsync(new { @event = "pusher:signin", data = new { auth = signin["auth"]!.GetValue<string>(), user_data = userData } });
        var success = PusherClient.Data(await client.NextAsync("pusher:signin_success"));
        await client.SubscribeAsync($"#server-to-user-{owner.UserId}");
        await client.NextAsync("pusher_internal:subscription_succeeded", $"#server-to-user-{owner.UserId}");
        await client.SubscribeAsync($"#server-to-user-{owner.UserId + 1}");
        var othersChannel = PusherClient.Data(await client.NextAsync("pusher:subscription_error", $"#server-to-user-{owner.UserId + 1}"));
        await forger.SendAsync(new { @event = "pusher:signin", data = new { auth = signin["auth"]!.GetValue<string>(), user_data = userData } });
        var refused = PusherClient.Data(await forger.NextAsync("pusher:error"));
        await forger.WaitForCloseAsync();

        Assert.Equal(userData, success["user_data"]!.GetValue<string>());
        Assert.Equal(owner.UserId.ToString(), System.Text.Json.Nodes.JsonNode.Parse(userData)!["id"]!.GetValue<string>());
        Assert.Equal("AuthError", othersChannel["type"]!.GetValue<string>());
        Assert.Equal(4009, refused["code"]!.GetValue<int>());
        Assert.Equal((WebSocketCloseStatus)4009, forger.CloseStatus);
    }

    /// <summary>Connects (to <paramref name="replica"/>, or through the orchestrator) and joins a presence channel as <paramref name="session"/>.</summary>
    internal static async Task<PusherClient> JoinPresenceAsync(TopologyFixture topology, ApiSession session, string channel, Uri? replica = null)
    {
        var client = await PusherClient.ConnectAsync(topology, replica: replica);
        var authorization = (await AuthorizeAsync(session, client.SocketId, channel)).AssertStatus(HttpStatusCode.OK).Body!;
        await client.SubscribeAsync(channel, authorization["auth"]!.GetValue<string>(), authorization["channel_data"]!.GetValue<string>());
        return client;
    }

    /// <summary>Connects through the orchestrator and subscribes to a private channel as <paramref name="session"/>, once the hub confirmed it.</summary>
    internal static async Task<PusherClient> SubscribePrivateAsync(TopologyFixture topology, ApiSession session, string channel)
    {
        var client = await PusherClient.ConnectAsync(topology);
        await client.SubscribeAsync(channel, (await AuthorizeAsync(session, client.SocketId, channel)).AssertStatus(HttpStatusCode.OK).Body!["auth"]!.GetValue<string>());
        await client.NextAsync("pusher_internal:subscription_succeeded", channel);
        return client;
    }

    /// <summary>Asks the api to authorize a channel as pusher-js does: a form-encoded POST with the bearer token.</summary>
    internal static async Task<ApiResponse> AuthorizeAsync(ApiSession session, string socketId, string channel)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["socket_id"] = socketId, ["channel_name"] = channel });
        return await ApiResponse.ReadAsync(await session.Http.PostAsync("/api/v1/broadcasting/auth", form, Cancellation));
    }
}
